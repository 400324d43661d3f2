// How long an ACME client waits between polls of a pending authorization or a
// processing order: the CA's Retry-After clamped to bounds, so a header in the
// past cannot cause a hot loop and one a year away cannot park an order; and,
// when the CA sent none, a wait that doubles from the lower bound.
#pragma once

#include <chrono>
#include <optional>

#include "core/duration.hpp"

namespace certmill::issuers::acme {

struct PollPolicy {
  std::chrono::seconds min_interval{1};
  std::chrono::seconds max_interval{60};
  // Clock time one poll phase (an authorization, the order) may take before
  // the order is given up; also how long any other step of the order goes on
  // retrying a request that failed transiently (transient.hpp).
  Duration give_up_after = std::chrono::minutes(10);
  // Between a solver's checks that did not pass (cert-manager's check retry
  // period, 10 s by default); they too give up after give_up_after.
  std::chrono::seconds check_retry_period{10};
};

// The wait before poll number `attempt` (0 for the first).
std::chrono::seconds poll_interval(const PollPolicy& policy,
                                   std::optional<std::chrono::seconds> retry_after, int attempt);

}  // namespace certmill::issuers::acme
