// Reading Boulder's rate-limit details (and older wordings, and the docs
// anchors both carry) into a limit and its keys.
#include "core/ratelimits/refusal.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "core/duration.hpp"

namespace certmill::ratelimits {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool has(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

std::optional<Limit> limit_of(std::string_view detail) {
  if (has(detail, "exact set") || has(detail, "#new-certificates-per-exact-set") ||
      has(detail, "#duplicate-certificate-limit"))
    return Limit::CertificatesPerExactSet;
  if (has(detail, "failed authorization") || has(detail, "#authorization-failures-per") ||
      has(detail, "#failed-validation-limit"))
    return Limit::FailedAuthorizationsPerIdentifier;
  if (has(detail, "new orders") || has(detail, "#new-orders-per-account"))
    return Limit::NewOrdersPerAccount;
  if (has(detail, "certificates") || has(detail, "per-registered-domain"))
    return Limit::CertificatesPerDomain;
  return std::nullopt;
}

// The first quoted text of `detail`: the domain or identifier Boulder counts.
std::optional<std::string> quoted(std::string_view detail) {
  const auto open = detail.find('"');
  if (open == std::string_view::npos)
    return std::nullopt;
  const auto close = detail.find('"', open + 1);
  if (close == std::string_view::npos || close == open + 1)
    return std::nullopt;
  return std::string(detail.substr(open + 1, close - open - 1));
}

// "(300) ... in the last 3h0m0s": the count and period the CA enforces. The
// count is the first number in parentheses: an error's text may carry other
// parentheses before it ("(HTTP 429)").
std::optional<LimitSpec> stated_limit(std::string_view detail) {
  const auto last = detail.find("in the last ");
  if (last == std::string_view::npos)
    return std::nullopt;
  std::optional<unsigned> count;
  for (auto open = detail.find('('); open != std::string_view::npos && open < last && !count;
       open = detail.find('(', open + 1)) {
    const auto close = detail.find(')', open);
    if (close == std::string_view::npos || close > last)
      break;
    unsigned n = 0;
    const auto [end, ec] = std::from_chars(detail.data() + open + 1, detail.data() + close, n);
    if (ec == std::errc() && end == detail.data() + close && n > 0)
      count = n;
  }
  if (!count)
    return std::nullopt;
  std::string_view period = detail.substr(last + 12);
  period = period.substr(0, period.find_first_of(" ,:;"));
  auto parsed = parse_duration(period);
  if (!parsed || parsed->count() <= 0)
    return std::nullopt;
  return LimitSpec{*count, *parsed};
}

}  // namespace

std::optional<RateLimitRefusal> read_refusal(const acme::Problem& problem,
                                             const OrderShape& order) {
  if (problem.type != acme::ProblemType::RateLimited)
    return std::nullopt;
  std::string detail = lower(problem.detail);
  for (const acme::Problem& sub : problem.subproblems)
    detail += " " + lower(sub.detail);
  RateLimitRefusal refusal;
  const auto limit = limit_of(detail);
  if (!limit)
    return refusal;
  refusal.limit = *limit;
  refusal.recognised = true;
  refusal.stated = stated_limit(detail);
  // What the CA named, from subproblems first (they carry identifiers).
  std::vector<acme::Identifier> named;
  for (const acme::Problem& sub : problem.subproblems) {
    if (sub.identifier)
      named.push_back(*sub.identifier);
  }
  if (named.empty()) {
    if (auto name = quoted(problem.detail))
      named.push_back({"dns", *name});
  }
  switch (*limit) {
    case Limit::NewOrdersPerAccount:
      break;
    case Limit::CertificatesPerExactSet:
      refusal.keys.push_back(order.exact_set);
      break;
    case Limit::CertificatesPerDomain:
      // The CA names the registered domain itself; one of the order's.
      for (const acme::Identifier& id : named) {
        const std::string name = lower(id.value);
        if (std::find(order.registered_domains.begin(), order.registered_domains.end(), name) !=
            order.registered_domains.end())
          refusal.keys.push_back(name);
      }
      if (refusal.keys.empty())
        refusal.keys = order.registered_domains;
      break;
    case Limit::FailedAuthorizationsPerIdentifier:
      for (const acme::Identifier& id : named) {
        const std::string key = authorization_key(id);
        if (std::find(order.identifiers.begin(), order.identifiers.end(), key) !=
            order.identifiers.end())
          refusal.keys.push_back(key);
      }
      if (refusal.keys.empty())
        refusal.keys = order.identifiers;
      break;
  }
  return refusal;
}

}  // namespace certmill::ratelimits
