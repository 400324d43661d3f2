// When cert-manager renews a certificate (pkg/util/pki/renewaltime.go):
// notAfter minus renewBefore, where renewBefore is spec.renewBefore if it is
// positive and shorter than the actual lifetime, else
// lifetime × renewBeforePercentage / 100 if that is in (0, 100), else one
// third of the lifetime; the result is truncated to the second.
#pragma once

#include <optional>

#include "core/duration.hpp"
#include "core/time.hpp"

namespace certmill::pki {

// How long before notAfter to renew, for a certificate of `lifetime`.
Duration renew_before(Duration lifetime, std::optional<Duration> renew_before,
                      std::optional<int> renew_before_percentage);

Time renewal_time(Time not_before, Time not_after, std::optional<Duration> renew_before,
                  std::optional<int> renew_before_percentage);

}  // namespace certmill::pki
