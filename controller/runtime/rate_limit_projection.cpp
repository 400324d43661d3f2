// The line played forward: its series every half minute, and the renewals
// it cannot fit before their certificates expire told to their shards.
#include <boost/asio/post.hpp>

#include "controller/runtime/rate_limit_scheduler.hpp"
#include "core/log.hpp"

namespace certmill::controller {

namespace {

// How long an issuance takes from its order to its stored certificate, as
// far as the projection is concerned: an order's phases are bounded well
// within it.
constexpr auto kIssuanceLead = std::chrono::hours(1);

}  // namespace

void RateLimitScheduler::tell_late(unsigned home, const std::string& certificate,
                                   std::optional<LateRenewal> late) {
  asio::post(reactor_.shard(home).executor(), [this, home, certificate, late] {
    if (lates_[home])
      lates_[home](certificate, late);
  });
}

void RateLimitScheduler::measure(Line& l, ratelimits::Instant now) {
  if (l.measured && now - *l.measured < kMeasureEvery)
    return;
  l.measured = now;
  // Here, not on every message: it walks every bucket of the account.
  l.budget.forget_idle(now);
  std::size_t misses = 0;
  const ratelimits::Projection* first = nullptr;
  const auto plan = l.queue.project(l.budget, now, kIssuanceLead);
  std::unordered_map<std::string, unsigned> late;
  for (const ratelimits::Projection& p : plan) {
    if (!p.misses)
      continue;
    if (misses++ == 0)
      first = &p;
    const auto home = l.homes.find(p.key);
    if (home == l.homes.end())
      continue;
    late.emplace(p.key, home->second);
    if (!l.late.contains(p.key))
      tell_late(home->second, p.key,
                LateRenewal{std::chrono::floor<std::chrono::seconds>(p.start),
                            std::chrono::floor<std::chrono::seconds>(p.deadline)});
  }
  for (const auto& [key, home] : l.late) {
    if (!late.contains(key))
      tell_late(home, key, std::nullopt);
  }
  l.late = std::move(late);
  if (first) {
    log::warn(
        "renewals are projected to come after their certificates expire: the ACME "
        "account's rate limits cannot fit them",
        {{"renewals", misses},
         {"first", first->key},
         {"expires", format_time(std::chrono::floor<std::chrono::seconds>(first->deadline))},
         {"projected_order", format_time(std::chrono::floor<std::chrono::seconds>(first->start))}});
  }
  l.series.update(l.budget, l.queue, misses, now);
}

}  // namespace certmill::controller
