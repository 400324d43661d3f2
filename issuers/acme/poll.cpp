// poll_interval: clamping and doubling.
#include "issuers/acme/poll.hpp"

#include <algorithm>

namespace certmill::issuers::acme {

std::chrono::seconds poll_interval(const PollPolicy& policy,
                                   std::optional<std::chrono::seconds> retry_after, int attempt) {
  // Never below a second: a zero bound would poll the CA in a hot loop.
  const auto low = std::max(policy.min_interval, std::chrono::seconds(1));
  const auto high = std::max(low, policy.max_interval);
  if (retry_after)
    return std::clamp(*retry_after, low, high);
  auto wait = low;
  // Doubling past `high` stops early, so a large attempt cannot overflow.
  for (int i = 0; i < attempt && wait < high; ++i)
    wait *= 2;
  return std::clamp(wait, low, high);
}

}  // namespace certmill::issuers::acme
