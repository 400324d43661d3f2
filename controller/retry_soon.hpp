// Which failures to present a challenge (reading the solver's Secret,
// finding the record's zone, the provider's update) are worth trying again
// within the order, and how long to wait first. cert-manager's Challenge
// controller retries Present for as long as the order lives; certmill fails
// the order at once on a bad setting, so the Certificate says what to fix,
// and tries a failure of the moment (the API server's 429 or 5xx, a
// nameserver's SERVFAIL or silence) again a few times, instead of failing
// the issuance into cert-manager's hour of backoff for one bad second. Pure.
#pragma once

#include <chrono>

#include "core/error.hpp"

namespace certmill::controller {

// Attempts in all before the order fails with the last error.
inline constexpr int kPresentAttempts = 5;

bool present_may_pass_later(const Error& error);

// The wait before attempt `attempt` + 2 (0 after the first failure): the
// server's Retry-After when it sent one (a second at least), otherwise 1 s
// doubled per attempt, 8 s at most: 15 s over the four waits.
std::chrono::seconds present_retry_wait(const Error& error, int attempt);

}  // namespace certmill::controller
