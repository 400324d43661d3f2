// TokenBucket arithmetic. A clock that steps backwards adds no tokens.
#include "reactor/token_bucket.hpp"

#include <algorithm>
#include <cmath>

namespace certmill::reactor {

TokenBucket::TokenBucket(double rate, double burst, TimePoint now)
    : rate_(rate), burst_(std::max(burst, 1.0)), tokens_(burst_), last_(now) {}

double TokenBucket::available(TimePoint now) const {
  if (rate_ <= 0)
    return burst_;
  const double elapsed = std::chrono::duration<double>(now - last_).count();
  return std::min(burst_, tokens_ + std::max(elapsed, 0.0) * rate_);
}

bool TokenBucket::try_take(TimePoint now, double n) {
  if (rate_ <= 0)
    return true;
  const double tokens = available(now);
  if (now > last_)
    last_ = now;
  tokens_ = tokens;
  if (tokens_ + 1e-9 < n)
    return false;
  tokens_ -= n;
  return true;
}

Duration TokenBucket::time_until(TimePoint now, double n) const {
  if (rate_ <= 0)
    return Duration::zero();
  const double missing = n - available(now);
  if (missing <= 1e-9)
    return Duration::zero();
  return Duration(static_cast<Duration::rep>(std::ceil(missing / rate_ * 1e9)));
}

}  // namespace certmill::reactor
