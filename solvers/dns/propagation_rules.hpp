// The DNS-01 propagation check's decisions, apart from the queries that feed
// them (cert-manager's FindZoneByFqdn, followCNAMEs and
// checkAuthoritativeNss): which names the SOA walk asks about, what one SOA
// answer says about the zone, where a CNAME leads and whether it loops, the
// nameservers an NS answer names, and whether a server's TXT answer shows
// the expected value. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "solvers/dns/dns_message.hpp"

namespace certmill::solvers::dns {

// The names to ask for an SOA, from `fqdn` itself up to its last label
// ("_acme-challenge.a.example.test" ... "test"), normalized.
std::vector<std::string> soa_walk_candidates(std::string_view fqdn);

// What one SOA answer for `name` says: the zone, or climb one label higher.
struct SoaStep {
  std::optional<std::string> zone = {};  // empty: ask about the parent next
};

// An SOA in the answer of a NOERROR answer names the zone; so does an SOA
// in the authority section of a NOERROR or NXDOMAIN answer; either only when
// it is `name` or above it. An answer with a CNAME climbs (a zone's apex has
// none). Any other rcode is an error naming `asked`.
Result<SoaStep> soa_step(const Message& answer, std::string_view name, std::string_view asked);

// The CNAME target of `name` in the answer, if any.
std::optional<std::string> cname_target(const Message& answer, std::string_view name);

// Checks the next link of a CNAME chain: `chain` holds the names followed so
// far (the first is the record's own name); a target already in it is a
// loop, and a chain longer than `limit` links is refused.
Status extend_cname_chain(std::vector<std::string>& chain, const std::string& target,
                          std::size_t limit = 16);

// The NS targets for `zone` in the answer, in order, without duplicates.
std::vector<std::string> ns_names(const Message& answer, std::string_view zone);

// The A and AAAA addresses of `name` in the answer (a CNAME to them is
// followed within the answer).
std::vector<std::string> addresses_of(const Message& answer, std::string_view name);

// Whether `server`'s TXT answer for `fqdn` holds `expected` among its values.
// NOERROR and NXDOMAIN answers are judged on their records; other rcodes,
// and answers that are not authoritative when `require_authoritative`
// (a lame server), are errors; each error message names the server.
Status txt_verdict(const Message& answer, std::string_view server, std::string_view fqdn,
                   std::string_view expected, bool require_authoritative);

}  // namespace certmill::solvers::dns
