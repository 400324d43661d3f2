// Solver selection: each candidate's selector is scored, and the first with
// the highest (dnsNames match, zone labels, matchLabels) score wins. That
// lexicographic maximum is what cert-manager's picker computes one solver at
// a time, including its rule that a selector-less solver is chosen only when
// nothing more specific matches.
#include "solvers/selection.hpp"

#include <algorithm>
#include <cctype>
#include <compare>
#include <optional>
#include <string>

namespace certmill::solvers {

namespace {

using api::AcmeChallengeType;

// A name's labels from the right: "www.example.com." gives com, example, www.
std::vector<std::string_view> labels_from_right(std::string_view name) {
  if (name.ends_with('.'))
    name.remove_suffix(1);
  std::vector<std::string_view> out;
  while (!name.empty()) {
    const auto dot = name.rfind('.');
    if (dot == std::string_view::npos) {
      out.push_back(name);
      break;
    }
    out.push_back(name.substr(dot + 1));
    name = name.substr(0, dot);
  }
  return out;
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

// How specific a selector's match is, compared lexicographically. A
// dnsNames match counts once however many names are listed, as in
// cert-manager.
struct Score {
  bool dns_name = false;
  int zone_labels = 0;
  int match_labels = 0;
  auto operator<=>(const Score&) const = default;
};

// The selector's score for `dns_name`, or nothing when one of its parts
// rules the name out. An absent selector matches with the lowest score.
std::optional<Score> score(const std::optional<api::CertificateDNSNameSelector>& selector,
                           const api::StringMap& labels, std::string_view dns_name) {
  Score s;
  if (!selector)
    return s;
  for (const auto& [key, value] : selector->match_labels) {
    const auto it = labels.find(key);
    if (it == labels.end() || it->second != value)
      return std::nullopt;
    ++s.match_labels;
  }
  if (!selector->dns_names.empty()) {
    // An exact match, as cert-manager compares strings.
    s.dns_name = std::find(selector->dns_names.begin(), selector->dns_names.end(), dns_name) !=
                 selector->dns_names.end();
    if (!s.dns_name)
      return std::nullopt;
  }
  if (!selector->dns_zones.empty()) {
    // A zone matches the name itself and every name below it; "*.a.b" is
    // below "a.b". A zone with no labels (".") matches nothing.
    for (const std::string& zone : selector->dns_zones) {
      const int common = common_suffix_labels(zone, dns_name);
      if (common == static_cast<int>(labels_from_right(zone).size()))
        s.zone_labels = std::max(s.zone_labels, common);
    }
    if (s.zone_labels == 0)
      return std::nullopt;
  }
  return s;
}

// The first offered type the solver can answer: cert-manager walks the
// authorization's challenges in order.
std::optional<AcmeChallengeType> usable_type(const api::ACMEChallengeSolver& solver,
                                             std::span<const AcmeChallengeType> offered,
                                             bool allow_http01) {
  for (const AcmeChallengeType type : offered) {
    if (type == AcmeChallengeType::HTTP01 && solver.http01 && allow_http01)
      return type;
    if (type == AcmeChallengeType::DNS01 && solver.dns01)
      return type;
  }
  return std::nullopt;
}

std::optional<SolverChoice> best(const std::vector<api::ACMEChallengeSolver>& solvers,
                                 const api::StringMap& labels, std::string_view dns_name,
                                 std::span<const AcmeChallengeType> offered, bool allow_http01) {
  std::optional<SolverChoice> chosen;
  Score chosen_score;
  for (std::size_t i = 0; i < solvers.size(); ++i) {
    const auto type = usable_type(solvers[i], offered, allow_http01);
    if (!type)
      continue;
    const auto s = score(solvers[i].selector, labels, dns_name);
    if (!s)
      continue;
    // Strictly better replaces: on a tie the earlier solver stays.
    if (!chosen || *s > chosen_score) {
      chosen = SolverChoice{i, *type};
      chosen_score = *s;
    }
  }
  return chosen;
}

std::string type_names(std::span<const AcmeChallengeType> offered) {
  std::string out;
  for (const AcmeChallengeType type : offered)
    out += (out.empty() ? "" : ", ") +
           std::string(type == AcmeChallengeType::HTTP01 ? "http-01" : "dns-01");
  return out.empty() ? "none" : out;
}

}  // namespace

int common_suffix_labels(std::string_view zone, std::string_view name) {
  const auto a = labels_from_right(zone);
  const auto b = labels_from_right(name);
  int common = 0;
  while (common < static_cast<int>(std::min(a.size(), b.size())) &&
         equal_ignoring_case(a[common], b[common]))
    ++common;
  return common;
}

Result<SolverChoice> select_solver(const std::vector<api::ACMEChallengeSolver>& solvers,
                                   const api::StringMap& labels, std::string_view dns_name,
                                   std::span<const AcmeChallengeType> offered) {
  const bool wildcard = dns_name.starts_with("*.");
  if (auto chosen = best(solvers, labels, dns_name, offered, !wildcard))
    return *chosen;
  const std::string name(dns_name);
  if (solvers.empty()) {
    return Error(Errc::invalid_argument,
                 "no configured challenge solvers can be used for " + name +
                     ": the ACME issuer lists no solvers (spec.acme.solvers is empty)");
  }
  // Say so when HTTP-01 is what the issuer would have used for a wildcard:
  // the fix is a DNS-01 solver, not a different selector.
  if (wildcard) {
    if (auto http01 = best(solvers, labels, dns_name, kBothChallengeTypes, true);
        http01 && http01->type == AcmeChallengeType::HTTP01) {
      return Error(Errc::invalid_argument,
                   "no configured challenge solvers can be used for " + name +
                       ": HTTP-01 cannot validate a wildcard name, and the solver that matches "
                       "it (spec.acme.solvers[" +
                       std::to_string(http01->index) +
                       "]) is HTTP-01; add a dns01 solver whose selector matches it");
    }
  }
  return Error(Errc::invalid_argument,
               "no configured challenge solvers can be used for " + name +
                   ": no solver's selector (matchLabels, dnsNames, dnsZones) matches it with a "
                   "challenge type the CA offers (" +
                   type_names(offered) + ")");
}

}  // namespace certmill::solvers
