// TXT record sets as Route 53 holds them, with no I/O: the change that adds
// a DNS-01 value to a name's set or takes it out while keeping the others,
// TXT values in Route 53's presentation form, and names compared as DNS does.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace certmill::solvers::route53 {

// A TXT record set as Route 53 holds it; the values are unquoted.
struct TxtRecordSet {
  std::uint32_t ttl = 0;
  std::vector<std::string> values = {};
};

enum class ChangeAction { upsert, remove };  // UPSERT, DELETE

// One Change of a ChangeBatch. Route 53 replaces or deletes a set whole, so a
// change carries all of its values; a DELETE must repeat the set exactly as
// it is, TTL included.
struct TxtChange {
  ChangeAction action = ChangeAction::upsert;
  std::string name = {};  // "_acme-challenge.example.com", a trailing dot or not
  TxtRecordSet set = {};
};

// The change that adds `value` to the name's set (`current`, none when the
// name has no TXT set): an UPSERT of the other values and this one, with
// `ttl`. None when the value is already there.
std::optional<TxtChange> change_adding(std::string_view name,
                                       const std::optional<TxtRecordSet>& current,
                                       std::string_view value, std::uint32_t ttl);
// The change that takes `value` out: a DELETE of the set when no other value
// is left, else an UPSERT of the others. None when the value is not there.
std::optional<TxtChange> change_removing(std::string_view name,
                                         const std::optional<TxtRecordSet>& current,
                                         std::string_view value);

// A TXT value in Route 53's presentation form: quoted, '"' and '\' escaped,
// bytes outside printable ASCII as \ooo, split into strings of 255 octets.
std::string quote_txt(std::string_view value);
// The inverse: quoted strings (concatenated) or a bare word.
Result<std::string> unquote_txt(std::string_view text);

// Whether two DNS names are the same: ASCII case ignored, a trailing dot
// optional, Route 53's \ooo escapes ("\052" for '*') decoded.
bool same_dns_name(std::string_view a, std::string_view b);

}  // namespace certmill::solvers::route53
