// Doubling without overflow: stop doubling once the cap is reached.
#include "controller/issuance_backoff.hpp"

#include <algorithm>

namespace certmill::controller {

Duration issuance_delay(std::optional<int32_t> failed_attempts, const IssuanceBackoff& policy) {
  Duration delay = policy.initial;
  for (int32_t i = 1; i < failed_attempts.value_or(1) && delay < policy.max; ++i)
    delay *= 2;
  return std::clamp(delay, policy.initial, std::max(policy.initial, policy.max));
}

}  // namespace certmill::controller
