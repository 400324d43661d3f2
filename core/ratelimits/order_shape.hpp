// What a new order spends of a CA's limits: its registered domains (Public
// Suffix List), its exact set of names, its identifiers (failed
// authorizations count per identifier), and the exemptions Let's Encrypt
// grants: an order that carries ARI's `replaces` is exempt from every limit
// (its certificate still counts against its set of names);
// a renewal of a set of names issued before is exempt from new orders per
// account and certificates per registered domain, not from the others.
#pragma once

#include <string>
#include <vector>

#include "core/acme/problem.hpp"
#include "core/ratelimits/public_suffix.hpp"

namespace certmill::ratelimits {

struct OrderShape {
  std::vector<std::string> registered_domains;  // sorted, unique
  std::string exact_set;                        // exact_set_key()
  std::vector<std::string> identifiers;         // authorization_key() of each, sorted, unique
  bool replaces = false;
  bool renewal = false;

  bool operator==(const OrderShape&) const = default;
};

// Lower-cased, without a trailing dot, sorted, de-duplicated, joined by
// commas: equal for two orders Let's Encrypt counts as duplicates.
std::string exact_set_key(const std::vector<acme::Identifier>& identifiers);
// What an authorization is for: a wildcard is authorized as its base name
// (RFC 8555 §7.1.4), so "*.example.com" fails under "dns:example.com".
std::string authorization_key(const acme::Identifier& identifier);

OrderShape order_shape(const std::vector<acme::Identifier>& identifiers,
                       const PublicSuffixList& suffixes, bool replaces, bool renewal);

}  // namespace certmill::ratelimits
