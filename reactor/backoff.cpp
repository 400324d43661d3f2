// Backoff arithmetic in floating point, capped before it can overflow.
#include "reactor/backoff.hpp"

#include <algorithm>
#include <cmath>

namespace certmill::reactor {

Duration backoff_delay(const BackoffPolicy& policy, unsigned attempt, double random01) {
  const double max = static_cast<double>(policy.max.count());
  double delay = static_cast<double>(policy.initial.count()) *
                 std::pow(std::max(policy.multiplier, 1.0), static_cast<double>(attempt));
  delay = std::min(delay, max);
  const double jitter = std::clamp(policy.jitter, 0.0, 1.0);
  delay *= 1.0 - jitter + 2.0 * jitter * std::clamp(random01, 0.0, 1.0);
  return Duration(static_cast<Duration::rep>(std::clamp(delay, 0.0, max)));
}

Duration Backoff::next() {
  const double draw = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
  const Duration d = backoff_delay(policy_, attempt_, draw);
  if (attempt_ < 64)
    ++attempt_;
  return d;
}

}  // namespace certmill::reactor
