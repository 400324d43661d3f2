// DNS queries and answers for the DNS-01 propagation check, as plain data:
// one question built in wire format (RFC 1035 §4.1) with recursion desired
// or not, and an answer read into its header bits and the records of its
// answer and authority sections. Pure: the c-ares channel carries the bytes.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace certmill::solvers::dns {

using Bytes = std::vector<std::uint8_t>;

enum class RecordType : std::uint16_t {
  a = 1,
  ns = 2,
  cname = 5,
  soa = 6,
  txt = 16,
  aaaa = 28,
  caa = 257,
};

// RFC 1035 §4.1.1 and RFC 6895 names, for messages.
std::string rcode_name(int rcode);
std::string type_name(RecordType type);

// A name as compared and shown here: lowercase, no trailing dot.
std::string normalize_name(std::string_view name);

// One query for `name` and `type` (class IN). The id is left 0: c-ares sets
// its own when it sends the query.
Result<Bytes> build_query(std::string_view name, RecordType type, bool recursion_desired);

struct Record {
  std::string name = {};  // normalized owner name
  std::uint16_t type = 0;
  // TXT: the record's character-strings joined (cert-manager compares the
  // joined value); NS, CNAME: the target; SOA: its MNAME; A, AAAA: the
  // address as text; other types (CAA): the RDATA as it is, for their own
  // readers.
  std::string data = {};
  std::uint32_t soa_serial = 0;  // SOA: its SERIAL, which servers of a zone compare
};

struct Message {
  int rcode = 0;
  bool authoritative = false;
  bool truncated = false;
  std::vector<Record> answers = {};
  std::vector<Record> authorities = {};
};

// Reads an answer; a short or malformed one is an error (additional
// records are not read: nothing here needs them).
Result<Message> parse_message(std::span<const std::uint8_t> bytes);

}  // namespace certmill::solvers::dns
