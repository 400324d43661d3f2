// DNS wire format as RFC 1035 §4 lays it out: big-endian integers, names as
// length-prefixed labels (with the compression pointers a server may use in
// its answer), and a bounds-checked reader, so a short or hostile answer ends
// in an error and never reads past its end.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace certmill::solvers::rfc2136 {

using Bytes = std::vector<std::uint8_t>;

void put_u16(Bytes& out, std::uint16_t value);
void put_u32(Bytes& out, std::uint32_t value);
void put_u48(Bytes& out, std::uint64_t value);

// A presentation-format name ("example.test" or "example.test.") in wire
// format, lowercased (RFC 8945 §4.3.2 needs the canonical form; servers
// compare names without case). Empty labels, labels over 63 octets and names
// over 255 octets are refused; escapes (\.) are not accepted.
Result<Bytes> encode_name(std::string_view name);

// Reads an answer from its start; every read fails rather than leave it.
class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> message) : message_(message) {}

  std::optional<std::uint16_t> u16();
  std::optional<std::uint32_t> u32();
  std::optional<std::uint64_t> u48();
  std::optional<std::span<const std::uint8_t>> bytes(std::size_t count);
  // The name at the current offset in canonical wire form, following
  // compression pointers (each must point backwards, so none can loop).
  std::optional<Bytes> name();

  std::size_t offset() const { return offset_; }
  bool at_end() const { return offset_ == message_.size(); }

 private:
  std::span<const std::uint8_t> message_;
  std::size_t offset_ = 0;
};

}  // namespace certmill::solvers::rfc2136
