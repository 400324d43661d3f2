// Rebuilding the accounts' budgets from Issuers, Orders and key Secrets.
#include "tools/certmill/ops/budget_replay.hpp"

#include <algorithm>
#include <set>

#include "controller/runtime/rate_gate.hpp"
#include "core/ratelimits/closings.hpp"

namespace certmill::ops {

namespace {

using ratelimits::Instant;
using ratelimits::Limit;

// The scheduler's margins (controller/runtime/rate_limit_scheduler.cpp):
// the same budget shows what the controller would wait for.
constexpr auto kClockSkew = std::chrono::seconds(5);
constexpr auto kIssuedMargin = std::chrono::hours(1);

std::string issuer_name(const controller::IssuerView& issuer) {
  return (issuer.cluster ? "ClusterIssuer" : issuer.namespace_) + "/" + issuer.name;
}

// The first whole second from `now` at which `key` has a token: available()
// only grows with time, so a search between now and the latest it can be.
Time next_free(const ratelimits::AccountBudget& budget, Limit limit, const std::string& key,
               Time now, std::optional<Time> closed) {
  auto free_at = [&](Time t) { return budget.available(limit, key, Instant(t)).value_or(1) > 0; };
  if (free_at(now))
    return now;
  Time high = std::max(now, closed.value_or(now)) +
              std::chrono::ceil<std::chrono::seconds>(budget.limits()[limit].period +
                                                      kIssuedMargin + kClockSkew);
  Time low = now;  // not free at low, free at high
  while (high - low > std::chrono::seconds(1)) {
    const Time mid = low + (high - low) / 2;
    (free_at(mid) ? high : low) = mid;
  }
  return high;
}

LimitBudget limit_budget(const ratelimits::AccountBudget& budget, Limit limit,
                         const std::set<std::string>& keys, const ratelimits::Closings& closings,
                         Time now) {
  LimitBudget out{.limit = limit, .spec = budget.limits()[limit], .keys = {}};
  for (const std::string& key : keys) {
    const auto closing = closings.find({limit, key});
    const std::optional<Time> closed =
        closing == closings.end()
            ? std::nullopt
            : std::optional<Time>(std::chrono::ceil<std::chrono::seconds>(closing->second));
    const unsigned left = budget.available(limit, key, Instant(now)).value_or(out.spec.count);
    const unsigned used = out.spec.count > left ? out.spec.count - left : 0;
    // The account's own row always shows; a domain or set only when spent.
    if (used == 0 && !closed && limit != Limit::NewOrdersPerAccount)
      continue;
    out.keys.push_back({.key = key,
                        .used = used,
                        .next_free = next_free(budget, limit, key, now, closed),
                        .closed_until = closed});
  }
  std::sort(out.keys.begin(), out.keys.end(), [](const KeyBudget& a, const KeyBudget& b) {
    if (a.used != b.used)
      return a.used > b.used;
    return a.next_free != b.next_free ? a.next_free > b.next_free : a.key < b.key;
  });
  return out;
}

}  // namespace

std::vector<AccountBudgets> replay_budgets(const BudgetObjects& objects,
                                           const ratelimits::PublicSuffixList& suffixes, Time now) {
  std::vector<controller::IssuerView> issuers = objects.issuers;
  std::sort(issuers.begin(), issuers.end(),
            [](const auto& a, const auto& b) { return issuer_name(a) < issuer_name(b); });
  std::vector<AccountBudgets> out;
  std::map<std::string, std::size_t> by_label;
  for (const controller::IssuerView& issuer : issuers) {
    auto account = controller::rate_limit_account(issuer, objects.cluster_resource_namespace);
    if (!account)
      continue;
    if (!*account) {
      // The controller admits nothing for it either: say why, count nothing.
      out.push_back({.issuers = {issuer_name(issuer)},
                     .server = issuer.acme_server,
                     .key_secret = issuer.acme_key_secret,
                     .label = {},
                     .error = account->error().message(),
                     .orders = 0,
                     .limits = {}});
      continue;
    }
    const controller::RateLimitAccount& a = **account;
    if (auto seen = by_label.find(a.label); seen != by_label.end()) {
      out[seen->second].issuers.push_back(issuer_name(issuer));
      continue;
    }
    by_label.emplace(a.label, out.size());
    ratelimits::AccountBudget budget(a.limits, kIssuedMargin, kClockSkew);
    std::vector<ratelimits::PastOrder> past;
    std::array<std::set<std::string>, ratelimits::kLimits.size()> keys;
    keys[static_cast<std::size_t>(Limit::NewOrdersPerAccount)].insert("");
    for (const api::Order& order : objects.orders) {
      const auto label = order.metadata.labels.find(std::string(ratelimits::kAccountLabel));
      if (label == order.metadata.labels.end() || label->second != a.label)
        continue;
      auto counted = ratelimits::past_order(order, suffixes);
      if (!counted)
        continue;
      for (const std::string& domain : counted->shape.registered_domains)
        keys[static_cast<std::size_t>(Limit::CertificatesPerDomain)].insert(domain);
      keys[static_cast<std::size_t>(Limit::CertificatesPerExactSet)].insert(
          counted->shape.exact_set);
      for (const std::string& identifier : counted->shape.identifiers)
        keys[static_cast<std::size_t>(Limit::FailedAuthorizationsPerIdentifier)].insert(identifier);
      past.push_back(std::move(*counted));
    }
    const std::size_t orders = past.size();
    // As the scheduler loads: spending first, then the closings still open.
    ratelimits::replay(budget, std::move(past), Instant(now));
    const std::string key_secret = a.key_namespace + "/" + a.key_name;
    if (auto kept = objects.closings.find(key_secret); kept != objects.closings.end()) {
      for (const auto& [which, until] : ratelimits::parse_closings(kept->second)) {
        if (until > Instant(now)) {
          budget.refused(which.first, which.second, until);
          keys[static_cast<std::size_t>(which.first)].insert(which.second);
        }
      }
    }
    AccountBudgets account_budgets{.issuers = {issuer_name(issuer)},
                                   .server = a.server,
                                   .key_secret = key_secret,
                                   .label = a.label,
                                   .error = {},
                                   .orders = orders,
                                   .limits = {}};
    const ratelimits::Closings closings = budget.closings(Instant(now));
    for (Limit limit : ratelimits::kLimits)
      account_budgets.limits.push_back(
          limit_budget(budget, limit, keys[static_cast<std::size_t>(limit)], closings, now));
    out.push_back(std::move(account_budgets));
  }
  return out;
}

}  // namespace certmill::ops
