// certmill's series for the ACME accounts' rate-limit lines, per account
// (its directory and key Secret): the new orders left in its budget, how many
// registered domains, name sets and identifiers each limit holds back, when
// each limit's budget is whole again, the issuances waiting by the limit that
// holds them, and the renewals projected to come too late for their
// certificate's expiry (the alert CertmillRenewalsProjectedToMiss watches it).
#pragma once

#include <array>
#include <string>

#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include "core/ratelimits/issuance_queue.hpp"

namespace certmill::controller {

class RateLimitFamilies {
 public:
  explicit RateLimitFamilies(prometheus::Registry& registry);

  // One account's series, made on first use; updated from its owner shard.
  class Account {
   public:
    void update(const ratelimits::AccountBudget& budget, const ratelimits::IssuanceQueue& queue,
                std::size_t projected_misses, ratelimits::Instant now);

   private:
    friend class RateLimitFamilies;
    prometheus::Gauge* new_orders_left = nullptr;
    std::array<prometheus::Gauge*, ratelimits::kLimits.size()> exhausted{};
    std::array<prometheus::Gauge*, ratelimits::kLimits.size()> refilled_at{};
    std::array<prometheus::Gauge*, ratelimits::kLimits.size()> waiting{};
    prometheus::Gauge* waiting_turn = nullptr;  // held by nothing: a turn is on its way
    prometheus::Gauge* projected_misses = nullptr;
  };
  Account account(const std::string& server, const std::string& key_secret);

 private:
  prometheus::Family<prometheus::Gauge>& new_orders_left_;
  prometheus::Family<prometheus::Gauge>& exhausted_;
  prometheus::Family<prometheus::Gauge>& refilled_at_;
  prometheus::Family<prometheus::Gauge>& waiting_;
  prometheus::Family<prometheus::Gauge>& projected_misses_;
};

}  // namespace certmill::controller
