// Which failures of a step that is costly to lose are worth trying again
// within it, a few seconds apart, and how long to wait first: presenting a
// DNS-01 challenge (reading the solver's Secret, finding the record's zone,
// the provider's update) and writing an order's outcome to its
// CertificateRequest. cert-manager's Challenge controller retries Present for
// as long as the order lives; certmill fails at once on a bad setting, so the
// Certificate says what to fix, and tries a failure of the moment (the API
// server's 429 or 5xx, a nameserver's SERVFAIL or silence) again, instead of
// failing the issuance into cert-manager's hour of backoff, or throwing an
// issued chain away, for one bad second. Pure.
#pragma once

#include <chrono>

#include "core/error.hpp"

namespace certmill::controller {

// Attempts in all before the step fails with the last error.
inline constexpr int kRetrySoonAttempts = 5;

bool may_pass_later(const Error& error);

// The wait before attempt `attempt` + 2 (0 after the first failure): the
// server's Retry-After when it sent one (a second at least), otherwise 1 s
// doubled per attempt, 8 s at most: 15 s over the four waits.
std::chrono::seconds retry_soon_wait(const Error& error, int attempt);

}  // namespace certmill::controller
