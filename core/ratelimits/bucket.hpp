// A rate limit as Let's Encrypt states them, "N per period": a bucket of N
// tokens that gets one back every period/N. Kept as GCRA (one theoretical
// arrival time), as Let's Encrypt's own limiter does, in integer nanoseconds:
// the wait it reports is exact, so a test can refill a bucket by advancing a
// clock by exactly the Retry-After it was given. The CA front (acme-front)
// counts with it on a steady clock, the controller's budgets on the wall
// clock, hence the time point as a parameter.
#pragma once

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/duration.hpp"
#include "core/result.hpp"

namespace certmill::ratelimits {

struct LimitSpec {
  unsigned count = 0;  // 0: no limit
  Duration period{};

  bool operator==(const LimitSpec&) const = default;
  // How long one token takes to come back; zero without a limit.
  Duration emission() const { return count == 0 ? Duration{} : period / count; }
};

// "300/3h", "50/168h"; "0" turns the limit off.
Result<LimitSpec> parse_limit_spec(std::string_view text);
std::string format_limit_spec(const LimitSpec& spec);

template <class TimePoint>
class BasicBucket {
 public:
  explicit BasicBucket(LimitSpec spec) : spec_(spec) {}

  // Zero when a token is there at `now`, else how long until one is.
  Duration wait(TimePoint now) const {
    if (spec_.count == 0 || !arrival_)
      return Duration{};
    const TimePoint after = std::max(*arrival_, now) + spec_.emission();
    const Duration over = std::chrono::duration_cast<Duration>(after - now) - spec_.period;
    return std::max(over, Duration{});
  }
  // Tokens there at `now`, at most the bucket's count.
  unsigned available(TimePoint now) const {
    if (spec_.count == 0 || !arrival_ || *arrival_ <= now)
      return spec_.count;
    const Duration owed = std::chrono::duration_cast<Duration>(*arrival_ - now);
    const auto used =
        static_cast<unsigned>((owed + spec_.emission() - Duration{1}) / spec_.emission());
    return used >= spec_.count ? 0 : spec_.count - used;
  }
  // Takes a token whether or not one is there: a certificate issued counts
  // even when concurrent orders overshot, and only pushes the wait further.
  void consume(TimePoint now) {
    if (spec_.count == 0)
      return;
    arrival_ = std::max(arrival_.value_or(now), now) + spec_.emission();
  }
  // The bucket is empty until `until` (a CA's Retry-After): as if tokens had
  // been taken until the next one comes back then.
  void drain_until(TimePoint until) {
    if (spec_.count == 0)
      return;
    const TimePoint arrival = until + spec_.period - spec_.emission();
    arrival_ = std::max(arrival_.value_or(arrival), arrival);
  }
  // When the bucket is full again; unset while it is.
  std::optional<TimePoint> full_at() const {
    if (!arrival_)
      return std::nullopt;
    return *arrival_;
  }
  const LimitSpec& spec() const { return spec_; }

 private:
  LimitSpec spec_;
  std::optional<TimePoint> arrival_;  // unset: the bucket is full
};

}  // namespace certmill::ratelimits
