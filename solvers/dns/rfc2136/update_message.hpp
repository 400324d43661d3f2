// The RFC 2136 UPDATE message that adds or deletes one TXT value, unsigned:
// header (opcode UPDATE), the zone section naming the zone's SOA, no
// prerequisites, and one update RR. Adding uses class IN, which adds the value
// to the RRset and leaves the other values (§2.5.1); deleting uses class NONE
// with the value as RDATA, which deletes only that value (§2.5.4), so two
// Challenges for one name never remove each other's record.
#pragma once

#include <cstdint>
#include <string>

#include "solvers/dns/rfc2136/wire.hpp"

namespace certmill::solvers::rfc2136 {

enum class Change { add, remove };

struct TxtChange {
  std::string zone = {};         // e.g. "example.test"
  std::string record_name = {};  // e.g. "_acme-challenge.example.test", inside zone
  std::string value = {};
  Change change = Change::add;
  std::uint32_t ttl = 60;  // cert-manager's; a deletion always carries 0
};

inline constexpr std::uint16_t kTypeSoa = 6;
inline constexpr std::uint16_t kTypeTxt = 16;
inline constexpr std::uint16_t kClassIn = 1;
inline constexpr std::uint16_t kClassNone = 254;
inline constexpr std::uint16_t kClassAny = 255;
inline constexpr std::uint8_t kOpcodeUpdate = 5;

// The TXT RDATA: the value as character-strings of at most 255 octets each.
Bytes txt_rdata(std::string_view value);

// The message with header ID `id`; refuses names that are not valid or a
// record name outside the zone (the server would answer NOTZONE).
Result<Bytes> encode_update(std::uint16_t id, const TxtChange& change);

}  // namespace certmill::solvers::rfc2136
