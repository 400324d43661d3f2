// The families, and one account's series set from its budget and line.
#include "controller/rate_limit_metrics.hpp"

namespace certmill::controller {
namespace {

prometheus::Family<prometheus::Gauge>& gauge(prometheus::Registry& registry, const char* name,
                                             const char* help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(registry);
}

}  // namespace

RateLimitFamilies::RateLimitFamilies(prometheus::Registry& registry)
    : new_orders_left_(
          gauge(registry, "certmill_acme_rate_limit_new_orders_left",
                "New orders the ACME account may place now (its new-orders-per-account "
                "budget); absent without a known limit.")),
      exhausted_(gauge(registry, "certmill_acme_rate_limit_exhausted",
                       "Keys (the account, registered domains, name sets, identifiers) a rate "
                       "limit holds back now, by limit.")),
      refilled_at_(gauge(registry, "certmill_acme_rate_limit_refilled_timestamp_seconds",
                         "When every budget of a rate limit is whole again (Unix time); 0 when "
                         "it is whole now.")),
      waiting_(gauge(registry, "certmill_acme_issuances_waiting",
                     "ACME issuances waiting for their turn, by the rate limit that holds them "
                     "(none: their turn is on its way).")),
      projected_misses_(gauge(registry, "certmill_acme_renewals_projected_to_miss",
                              "Renewals that the account's rate limits cannot fit before their "
                              "certificate expires, as the waiting line is played forward.")) {}

RateLimitFamilies::Account RateLimitFamilies::account(const std::string& server,
                                                      const std::string& key_secret) {
  const prometheus::Labels base{{"server", server}, {"account", key_secret}};
  auto with = [&](const char* name, std::string_view value) {
    prometheus::Labels labels = base;
    labels.emplace(name, std::string(value));
    return labels;
  };
  Account a;
  a.new_orders_left = &new_orders_left_.Add(base);
  for (ratelimits::Limit limit : ratelimits::kLimits) {
    const auto i = static_cast<std::size_t>(limit);
    a.exhausted[i] = &exhausted_.Add(with("limit", ratelimits::limit_name(limit)));
    a.refilled_at[i] = &refilled_at_.Add(with("limit", ratelimits::limit_name(limit)));
    a.waiting[i] = &waiting_.Add(with("reason", ratelimits::limit_name(limit)));
  }
  a.waiting_turn = &waiting_.Add(with("reason", "none"));
  a.projected_misses = &projected_misses_.Add(base);
  return a;
}

void RateLimitFamilies::Account::update(const ratelimits::AccountBudget& budget,
                                        const ratelimits::IssuanceQueue& queue,
                                        std::size_t projected, ratelimits::Instant now) {
  new_orders_left->Set(
      static_cast<double>(budget.available(ratelimits::Limit::NewOrdersPerAccount, {}, now)
                              .value_or(budget.limits().new_orders_per_account.count)));
  const auto held = queue.held_by(budget, now);
  std::size_t held_total = 0;
  for (ratelimits::Limit limit : ratelimits::kLimits) {
    const auto i = static_cast<std::size_t>(limit);
    exhausted[i]->Set(static_cast<double>(budget.exhausted(limit, now)));
    const auto full = budget.refilled_at(limit, now);
    refilled_at[i]->Set(full ? std::chrono::duration<double>(full->time_since_epoch()).count()
                             : 0.0);
    waiting[i]->Set(static_cast<double>(held[i]));
    held_total += held[i];
  }
  waiting_turn->Set(static_cast<double>(queue.size() - std::min(queue.size(), held_total)));
  projected_misses->Set(static_cast<double>(projected));
}

}  // namespace certmill::controller
