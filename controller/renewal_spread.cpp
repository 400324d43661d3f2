// A uid fingerprint mapped onto the spread interval.
#include "controller/renewal_spread.hpp"

#include <algorithm>

#include "controller/digest.hpp"

namespace certmill::controller {

Time spread_renewal_time(Time renewal_time, Time not_after, std::string_view seed,
                         RenewalSpread spread) {
  if (not_after <= renewal_time)
    return renewal_time;
  const auto window = (not_after - renewal_time).count();
  const auto span = window / 1000 * std::min(spread.per_mille, 1000u) +
                    window % 1000 * std::min(spread.per_mille, 1000u) / 1000;
  if (span <= 0)
    return renewal_time;
  const auto offset = static_cast<int64_t>(digest_of(seed) % static_cast<uint64_t>(span + 1));
  return renewal_time + std::chrono::seconds(offset);
}

}  // namespace certmill::controller
