// A year of one ACME account's fleet on a simulated clock: certmill's
// scheduler (core/ratelimits: the budgets and the deadline-ordered line) decides
// when each order is placed, and acme-front's limits (tools/acme-front, an
// implementation of Let's Encrypt's rules written on their own) play the CA,
// refusing what Let's Encrypt would refuse. Run by a test and by
// bench_rate_limit_year, which plots it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/duration.hpp"
#include "core/ratelimits/limits.hpp"

namespace certmill::simulation {

struct YearPlan {
  // Certificates that exist at the start, expiring evenly over one lifetime.
  std::size_t existing = 44'500;
  // New Certificates created at once on `burst_day`, over many domains.
  std::size_t burst = 5'000;
  int burst_day = 40;
  // New Certificates on one registered domain, created at once on `one_domain_day`.
  std::size_t one_domain = 500;
  int one_domain_day = 120;
  // Registered domains the fleet (but the one-domain batch) spreads over.
  std::size_t domains = 2'000;
  // Every how many certificates one renews without ARI (a CA or a client
  // without it): a renewal of the same names, not an ARI one.
  std::size_t without_ari_every = 5;
  // Every how many orders one has an authorization that fails (once).
  std::size_t failing_every = 100;
  Duration lifetime = std::chrono::hours(24 * 90);
  Duration lead = std::chrono::minutes(2);  // from newOrder to the stored certificate
  Duration new_grace = std::chrono::hours(1);
  Duration retry_after_failure = std::chrono::hours(1);
  int days = 365;
  std::uint64_t seed = 1;
};

struct DaySample {
  int day = 0;
  std::size_t counted_orders = 0;  // orders the account's new-order limit counted
  std::size_t exempt_orders = 0;   // renewals it did not count
  std::size_t most_waiting = 0;    // the longest the line was that day
  unsigned least_account_tokens = 0;
};

struct YearReport {
  std::size_t certificates = 0;
  std::size_t orders = 0;
  std::size_t issued = 0;
  std::size_t refused = 0;  // newOrders the CA refused with 429
  std::size_t failed_authorizations = 0;
  std::size_t expired = 0;           // certificates that expired before their renewal was stored
  std::size_t projected_misses = 0;  // issuances the projection said would miss, at any check
  Duration worst_margin = Duration::max();  // least time left before expiry at a renewal
  Duration longest_new_wait{};              // a new Certificate's wait for its first order
  std::vector<DaySample> days;
};

// The CA enforces `ca`; certmill's scheduler is told `told` (the same, for a
// CA whose limits it knows; none, for one it must learn from 429s).
YearReport simulate_year(const YearPlan& plan, const ratelimits::CaLimits& ca,
                         const ratelimits::CaLimits& told);

}  // namespace certmill::simulation
