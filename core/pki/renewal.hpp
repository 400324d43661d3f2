// When cert-manager renews a certificate, as a pure function
// (cert-manager's pkg/util/pki/renewaltime.go).
#pragma once

#include <optional>

#include "core/duration.hpp"
#include "core/time.hpp"

namespace certmill::pki {

// How long before notAfter to renew a certificate of `lifetime`: renewBefore
// if positive and shorter than the lifetime, else lifetime × percentage / 100
// if the percentage is in (0, 100), else one third of the lifetime.
Duration renew_before(Duration lifetime, std::optional<Duration> renew_before,
                      std::optional<int> renew_before_percentage);

// notAfter − renew_before(notAfter − notBefore, ...), truncated to the second.
Time renewal_time(Time not_before, Time not_after, std::optional<Duration> renew_before,
                  std::optional<int> renew_before_percentage);

}  // namespace certmill::pki
