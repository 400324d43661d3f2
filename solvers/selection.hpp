// Which of an ACME issuer's solvers proves one identifier, chosen as
// cert-manager's solver picker (pkg/controller/acmeorders/solverpicker) does,
// so an Issuer selects the same solver under certmill. Pure: no I/O.
//
// Among the solvers whose selector matches (every matchLabels entry equal on
// the object, the name in dnsNames if any are listed, the name inside one of
// dnsZones if any are listed) and whose challenge type the CA offers, the
// most specific wins: a dnsNames match first, then the longest matching zone
// (in labels), then the most matchLabels. Ties go to the earlier solver; a
// solver without a selector matches everything with the lowest weight.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "core/api/acme.hpp"
#include "core/api/issuer.hpp"
#include "core/result.hpp"

namespace certmill::solvers {

struct SolverChoice {
  std::size_t index = 0;  // into ACMEIssuer::solvers
  api::AcmeChallengeType type = api::AcmeChallengeType::HTTP01;
  bool operator==(const SolverChoice&) const = default;
};

// What an authorization offers when the caller does not say (RFC 8555 CAs
// offer both for a non-wildcard name).
inline constexpr api::AcmeChallengeType kBothChallengeTypes[] = {api::AcmeChallengeType::HTTP01,
                                                                 api::AcmeChallengeType::DNS01};

// `dns_name` is the identifier as cert-manager looks it up: "*.example.com"
// for a wildcard authorization. `labels` are the labels of the object the
// issuance is for (cert-manager matches the Order's). `offered` lists the
// challenge types the CA offered for the authorization, in its order.
//
// HTTP-01 never proves a wildcard (the CA/Browser Forum's Baseline
// Requirements forbid it; Let's Encrypt offers only DNS-01 for one), so
// HTTP-01 solvers are not candidates for "*." names. The error
// (Errc::invalid_argument) says why nothing could be chosen: no selector
// matched, or only an HTTP-01 solver matched a wildcard.
Result<SolverChoice> select_solver(
    const std::vector<api::ACMEChallengeSolver>& solvers, const api::StringMap& labels,
    std::string_view dns_name,
    std::span<const api::AcmeChallengeType> offered = kBothChallengeTypes);

// The number of labels `zone` shares with `name` counted from the right,
// case-insensitively, ignoring a trailing dot (miekg/dns CompareDomainName,
// which cert-manager's dnsZones selector uses): "www.example.com" and
// "example.com" share 2.
int common_suffix_labels(std::string_view zone, std::string_view name);

}  // namespace certmill::solvers
