// How long to wait after a failed issuance before trying again: cert-manager's
// 1 h, doubling with each consecutive failure, never more than 32 h (both
// bounds configurable). And how soon a Certificate may be issued again after
// an issuance that succeeded but left it due at once (a certificate born
// expired or past its renewal time, an issuer that ignores part of the spec):
// without a bound that is a write loop that spends the whole process's API
// budget on one Certificate.
#pragma once

#include <cstdint>
#include <optional>

#include "core/duration.hpp"

namespace certmill::controller {

struct IssuanceBackoff {
  Duration initial = std::chrono::hours(1);
  Duration max = std::chrono::hours(32);
  Duration min_reissue_interval = std::chrono::minutes(1);
};

// The wait after `failed_attempts` consecutive failures; a missing count
// (a Certificate that failed under a cert-manager without the counter) waits
// `initial`, as cert-manager does.
Duration issuance_delay(std::optional<int32_t> failed_attempts, const IssuanceBackoff& policy);

}  // namespace certmill::controller
