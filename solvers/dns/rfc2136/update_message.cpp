// Encoding of the one-TXT-value UPDATE (RFC 2136 §2 and §3.4).
#include "solvers/dns/rfc2136/update_message.hpp"

#include <algorithm>

namespace certmill::solvers::rfc2136 {
namespace {

// Whether wire name `name` is `zone` or below it: its last labels are zone's.
bool inside(const Bytes& name, const Bytes& zone) {
  std::size_t at = 0;
  while (name.size() - at > zone.size())
    at += 1 + name[at];
  return name.size() - at == zone.size() && std::equal(zone.begin(), zone.end(), name.begin() + at);
}

}  // namespace

Bytes txt_rdata(std::string_view value) {
  Bytes out;
  do {
    const std::string_view piece = value.substr(0, 255);
    out.push_back(static_cast<std::uint8_t>(piece.size()));
    out.insert(out.end(), piece.begin(), piece.end());
    value.remove_prefix(piece.size());
  } while (!value.empty());
  return out;
}

Result<Bytes> encode_update(std::uint16_t id, const TxtChange& change) {
  auto zone = encode_name(change.zone);
  if (!zone)
    return Error(zone.error().code(), "zone: " + zone.error().message());
  auto name = encode_name(change.record_name);
  if (!name)
    return Error(name.error().code(), "record name: " + name.error().message());
  if (!inside(*name, *zone))
    return Error(Errc::invalid_argument,
                 "record " + change.record_name + " is not inside the zone " + change.zone);
  const Bytes rdata = txt_rdata(change.value);
  if (rdata.size() > 0xFFFF)
    return Error(Errc::invalid_argument, "the TXT value is too long");

  Bytes out;
  put_u16(out, id);
  out.push_back(static_cast<std::uint8_t>(kOpcodeUpdate << 3));  // QR 0, opcode, no flags
  out.push_back(0);                                              // Z and RCODE
  put_u16(out, 1);                                               // ZOCOUNT
  put_u16(out, 0);                                               // PRCOUNT
  put_u16(out, 1);                                               // UPCOUNT
  put_u16(out, 0);                                               // ADCOUNT
  out.insert(out.end(), zone->begin(), zone->end());
  put_u16(out, kTypeSoa);
  put_u16(out, kClassIn);
  out.insert(out.end(), name->begin(), name->end());
  put_u16(out, kTypeTxt);
  const bool add = change.change == Change::add;
  put_u16(out, add ? kClassIn : kClassNone);
  put_u32(out, add ? change.ttl : 0);
  put_u16(out, static_cast<std::uint16_t>(rdata.size()));
  out.insert(out.end(), rdata.begin(), rdata.end());
  return out;
}

}  // namespace certmill::solvers::rfc2136
