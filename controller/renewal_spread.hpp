// Where in its renewal window a certificate is renewed. cert-manager renews
// every certificate exactly at its renewal time, so a fleet issued together
// renews together; certmill spreads each one over the first part of the
// window, by a fingerprint of its uid: the same place after every restart,
// different places across the fleet, and never later than the part allows.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/time.hpp"

namespace certmill::controller {

struct RenewalSpread {
  // The share of the window (renewal time → notAfter) to spread over, in
  // per mille: 100 spreads a 30-day window over its first 3 days.
  unsigned per_mille = 100;
};

// A time in [renewal_time, renewal_time + window × share], never after
// not_after; renewal_time itself when the window is empty.
Time spread_renewal_time(Time renewal_time, Time not_after, std::string_view seed,
                         RenewalSpread spread = {});

}  // namespace certmill::controller
