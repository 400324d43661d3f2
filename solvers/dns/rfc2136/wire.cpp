// DNS wire encoding and the bounds-checked reader (RFC 1035 §3.1, §4.1.4).
#include "solvers/dns/rfc2136/wire.hpp"

namespace certmill::solvers::rfc2136 {
namespace {

constexpr std::size_t kMaxLabel = 63;
constexpr std::size_t kMaxName = 255;

std::uint8_t lower(std::uint8_t c) {
  return c >= 'A' && c <= 'Z' ? static_cast<std::uint8_t>(c - 'A' + 'a') : c;
}

}  // namespace

void put_u16(Bytes& out, std::uint16_t value) {
  out.push_back(static_cast<std::uint8_t>(value >> 8));
  out.push_back(static_cast<std::uint8_t>(value));
}

void put_u32(Bytes& out, std::uint32_t value) {
  put_u16(out, static_cast<std::uint16_t>(value >> 16));
  put_u16(out, static_cast<std::uint16_t>(value));
}

void put_u48(Bytes& out, std::uint64_t value) {
  put_u16(out, static_cast<std::uint16_t>(value >> 32));
  put_u32(out, static_cast<std::uint32_t>(value));
}

Result<Bytes> encode_name(std::string_view name) {
  const auto refused = [&](const std::string& why) {
    return Error(Errc::invalid_value, "invalid DNS name \"" + std::string(name) + "\": " + why);
  };
  if (name.ends_with('.'))
    name.remove_suffix(1);
  Bytes out;
  while (!name.empty()) {
    const std::size_t dot = name.find('.');
    const std::string_view label = name.substr(0, dot);
    if (label.empty())
      return refused("empty label");
    if (label.size() > kMaxLabel)
      return refused("a label is longer than 63 octets");
    if (label.find('\\') != std::string_view::npos)
      return refused("escapes are not supported");
    out.push_back(static_cast<std::uint8_t>(label.size()));
    for (char c : label)
      out.push_back(lower(static_cast<std::uint8_t>(c)));
    name = dot == std::string_view::npos ? std::string_view() : name.substr(dot + 1);
    if (dot != std::string_view::npos && name.empty())
      return refused("empty label");
  }
  out.push_back(0);
  if (out.size() > kMaxName)
    return refused("longer than 255 octets");
  return out;
}

std::optional<std::uint16_t> Reader::u16() {
  const auto b = bytes(2);
  if (!b)
    return std::nullopt;
  return static_cast<std::uint16_t>(((*b)[0] << 8) | (*b)[1]);
}

std::optional<std::uint32_t> Reader::u32() {
  const auto high = u16();
  const auto low = u16();
  if (!high || !low)
    return std::nullopt;
  return (std::uint32_t{*high} << 16) | *low;
}

std::optional<std::uint64_t> Reader::u48() {
  const auto high = u16();
  const auto low = u32();
  if (!high || !low)
    return std::nullopt;
  return (std::uint64_t{*high} << 32) | *low;
}

std::optional<std::span<const std::uint8_t>> Reader::bytes(std::size_t count) {
  if (count > message_.size() - offset_)
    return std::nullopt;
  const auto out = message_.subspan(offset_, count);
  offset_ += count;
  return out;
}

std::optional<Bytes> Reader::name() {
  Bytes out;
  std::size_t at = offset_;
  std::optional<std::size_t> resume;  // where reading goes on after the first pointer
  while (true) {
    if (at >= message_.size())
      return std::nullopt;
    const std::uint8_t length = message_[at];
    if ((length & 0xC0) == 0xC0) {
      if (at + 1 >= message_.size())
        return std::nullopt;
      const std::size_t target = ((length & 0x3F) << 8) | message_[at + 1];
      if (target >= at)
        return std::nullopt;
      if (!resume)
        resume = at + 2;
      at = target;
      continue;
    }
    if (length > kMaxLabel || at + 1 + length > message_.size())
      return std::nullopt;
    out.push_back(length);
    for (std::size_t i = 0; i < length; ++i)
      out.push_back(lower(message_[at + 1 + i]));
    at += 1 + length;
    if (out.size() > kMaxName)
      return std::nullopt;
    if (length == 0)
      break;
  }
  offset_ = resume.value_or(at);
  return out;
}

}  // namespace certmill::solvers::rfc2136
