// Which failures of a step that is costly to lose are worth trying again
// within it, a few seconds apart, and how long to wait first: presenting a
// DNS-01 challenge (reading the solver's Secret, finding the record's zone,
// the provider's update) and writing an order's outcome to its
// CertificateRequest. cert-manager's Challenge controller retries Present for
// as long as the order lives; certmill fails at once on a bad setting, so the
// Certificate says what to fix, and tries a failure of the moment (the API
// server's 429 or 5xx, a nameserver's SERVFAIL or silence) again for about
// five minutes, instead of failing the issuance into cert-manager's hour of
// backoff, or throwing an issued chain away, for a bad spell. Fifteen
// seconds was too short: in the fault storm (10 % of API requests failing)
// a DNS-01 Certificate's Secret read failed five times running and the fleet
// did not converge. Pure.
#pragma once

#include <chrono>

#include "core/error.hpp"

namespace certmill::controller {

// Attempts in all before the step fails with the last error: 301 s of
// waits without a Retry-After (1 + 2 + 4 + 8 + 16 + 9 × 30).
inline constexpr int kRetrySoonAttempts = 15;

bool may_pass_later(const Error& error);

// The wait before attempt `attempt` + 2 (0 after the first failure): the
// server's Retry-After when it sent one (a second at least), otherwise 1 s
// doubled per attempt, 30 s at most.
std::chrono::seconds retry_soon_wait(const Error& error, int attempt);

}  // namespace certmill::controller
