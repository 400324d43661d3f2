// Building one question and reading an answer, on the RFC 1035 wire helpers
// the RFC 2136 updates already use (names, integers, a bounds-checked reader).
#include "solvers/dns/dns_message.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <optional>

#include "solvers/dns/rfc2136/wire.hpp"

namespace certmill::solvers::dns {
namespace {

using rfc2136::Reader;

std::string wire_to_text(const Bytes& wire) {
  std::string out;
  for (std::size_t at = 0; at < wire.size() && wire[at] != 0; at += 1 + wire[at]) {
    if (!out.empty())
      out += '.';
    out.append(reinterpret_cast<const char*>(wire.data() + at + 1), wire[at]);
  }
  return out;
}

std::optional<std::string> read_name(Reader& reader) {
  auto wire = reader.name();
  if (!wire)
    return std::nullopt;
  return wire_to_text(*wire);
}

std::optional<std::string> address_text(int family, std::span<const std::uint8_t> bytes) {
  char text[INET6_ADDRSTRLEN] = {};
  if (::inet_ntop(family, bytes.data(), text, sizeof text) == nullptr)
    return std::nullopt;
  return std::string(text);
}

// The record's data as Record::data (and soa_serial) describe it; `reader`
// stands at the start of RDATA and `length` octets belong to it.
bool read_data(Reader& reader, std::uint16_t length, Record& record) {
  const std::size_t end = reader.offset() + length;
  std::optional<std::string> data;
  switch (static_cast<RecordType>(record.type)) {
    case RecordType::ns:
    case RecordType::cname:
      data = read_name(reader);
      break;
    case RecordType::soa: {  // MNAME, RNAME, SERIAL; the rest is skipped below
      data = read_name(reader);
      const auto rname = reader.name();
      const auto serial = reader.u32();
      if (!rname || !serial)
        return false;
      record.soa_serial = *serial;
      break;
    }
    case RecordType::txt: {
      std::string joined;
      while (reader.offset() < end) {
        const auto size = reader.bytes(1);
        const auto text = size ? reader.bytes((*size)[0]) : std::nullopt;
        if (!text)
          return false;
        joined.append(text->begin(), text->end());
      }
      data = std::move(joined);
      break;
    }
    case RecordType::a:
    case RecordType::aaaa: {
      const bool v4 = static_cast<RecordType>(record.type) == RecordType::a;
      if (length != (v4 ? 4 : 16))
        return false;
      const auto bytes = reader.bytes(length);
      data = bytes ? address_text(v4 ? AF_INET : AF_INET6, *bytes) : std::nullopt;
      break;
    }
    default: {
      const auto bytes = reader.bytes(length);
      if (bytes)
        data = std::string(bytes->begin(), bytes->end());
      break;
    }
  }
  if (!data || reader.offset() > end || !reader.bytes(end - reader.offset()))
    return false;
  record.data = std::move(*data);
  return true;
}

std::optional<Record> read_record(Reader& reader) {
  Record record;
  auto name = read_name(reader);
  const auto type = reader.u16();
  const auto klass = reader.u16();
  const auto ttl = reader.u32();
  const auto length = reader.u16();
  if (!name || !type || !klass || !ttl || !length)
    return std::nullopt;
  record.name = std::move(*name);
  record.type = *type;
  if (!read_data(reader, *length, record))
    return std::nullopt;
  return record;
}

}  // namespace

std::string rcode_name(int rcode) {
  static const char* const names[] = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN",
                                      "NOTIMP",  "REFUSED", "YXDOMAIN", "YXRRSET",
                                      "NXRRSET", "NOTAUTH", "NOTZONE"};
  if (rcode >= 0 && rcode < static_cast<int>(std::size(names)))
    return names[rcode];
  return "RCODE" + std::to_string(rcode);
}

std::string type_name(RecordType type) {
  switch (type) {
    case RecordType::a:
      return "A";
    case RecordType::ns:
      return "NS";
    case RecordType::cname:
      return "CNAME";
    case RecordType::soa:
      return "SOA";
    case RecordType::txt:
      return "TXT";
    case RecordType::aaaa:
      return "AAAA";
    case RecordType::caa:
      return "CAA";
  }
  return "TYPE" + std::to_string(static_cast<unsigned>(type));
}

std::string normalize_name(std::string_view name) {
  if (name.ends_with('.'))
    name.remove_suffix(1);
  std::string out(name);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  return out;
}

Result<Bytes> build_query(std::string_view name, RecordType type, bool recursion_desired) {
  auto wire = rfc2136::encode_name(name);
  if (!wire)
    return wire.error();
  Bytes out;
  rfc2136::put_u16(out, 0);                               // id: c-ares sets it
  rfc2136::put_u16(out, recursion_desired ? 0x0100 : 0);  // QUERY, RD or not
  rfc2136::put_u16(out, 1);                               // QDCOUNT
  rfc2136::put_u16(out, 0);
  rfc2136::put_u16(out, 0);
  rfc2136::put_u16(out, 0);
  out.insert(out.end(), wire->begin(), wire->end());
  rfc2136::put_u16(out, static_cast<std::uint16_t>(type));
  rfc2136::put_u16(out, 1);  // IN
  return out;
}

Result<Message> parse_message(std::span<const std::uint8_t> bytes) {
  const auto malformed = [](const std::string& where) {
    return Error(std::make_error_code(std::errc::bad_message), "malformed DNS answer: " + where);
  };
  Reader reader(bytes);
  const auto id = reader.u16();
  const auto flags = reader.u16();
  const auto qd = reader.u16(), an = reader.u16(), ns = reader.u16(), ar = reader.u16();
  if (!id || !flags || !qd || !an || !ns || !ar)
    return malformed("shorter than its header");
  if ((*flags & 0x8000) == 0)
    return malformed("a query, not a response");
  Message message;
  message.rcode = *flags & 0x000F;
  message.authoritative = (*flags & 0x0400) != 0;
  message.truncated = (*flags & 0x0200) != 0;
  for (unsigned i = 0; i < *qd; ++i)
    if (!reader.name() || !reader.u16() || !reader.u16())
      return malformed("question section");
  for (unsigned i = 0; i < *an; ++i) {
    auto record = read_record(reader);
    if (!record)
      return malformed("answer record " + std::to_string(i + 1));
    message.answers.push_back(std::move(*record));
  }
  for (unsigned i = 0; i < *ns; ++i) {
    auto record = read_record(reader);
    if (!record)
      return malformed("authority record " + std::to_string(i + 1));
    message.authorities.push_back(std::move(*record));
  }
  return message;
}

}  // namespace certmill::solvers::dns
