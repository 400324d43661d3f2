// Renewal time arithmetic in nanoseconds, as Go's time.Duration.
#include "core/pki/renewal.hpp"

namespace certmill::pki {

Duration renew_before(Duration lifetime, std::optional<Duration> before,
                      std::optional<int> percentage) {
  if (before && *before > Duration::zero() && *before < lifetime)
    return *before;
  if (percentage && *percentage > 0 && *percentage < 100) {
    // lifetime * pct / 100 without the overflow Go's int64 product has past ~3 years.
    const auto ns = lifetime.count();
    return Duration(ns / 100 * *percentage + ns % 100 * *percentage / 100);
  }
  return lifetime / 3;
}

Time renewal_time(Time not_before, Time not_after, std::optional<Duration> before,
                  std::optional<int> percentage) {
  const Duration lifetime = not_after - not_before;
  const auto at = not_after - renew_before(lifetime, before, percentage);
  return std::chrono::floor<std::chrono::seconds>(at);
}

}  // namespace certmill::pki
