// TokenBucket: `rate` tokens per second, at most `burst` saved up. Pure data
// and arithmetic on the times it is given; RateLimiter puts it on a clock.
#pragma once

#include <chrono>

#include "core/duration.hpp"

namespace certmill::reactor {

class TokenBucket {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  // A bucket starts full. A rate of zero or less means no limit.
  TokenBucket(double rate, double burst, TimePoint now);

  bool try_take(TimePoint now, double n = 1);
  // How long until `n` tokens are there; zero if they are now.
  Duration time_until(TimePoint now, double n = 1) const;
  double available(TimePoint now) const;
  double rate() const { return rate_; }
  double burst() const { return burst_; }

 private:
  double rate_;
  double burst_;
  double tokens_;
  TimePoint last_;
};

}  // namespace certmill::reactor
