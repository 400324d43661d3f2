// Exponential backoff with jitter. The delay is a pure function of the attempt
// number and a random draw, so tests choose the draw; Backoff adds the state
// and the random source for callers that just want the next delay.
#pragma once

#include <cstdint>
#include <random>

#include "core/duration.hpp"

namespace certmill::reactor {

struct BackoffPolicy {
  Duration initial;
  Duration max;
  double multiplier = 2.0;
  // Each delay is scaled by a factor drawn from [1 - jitter, 1 + jitter],
  // then capped at `max`: retries from many objects spread out instead of
  // arriving together.
  double jitter = 0.0;
};

// The delay before retry number `attempt` (0 for the first retry);
// `random01` is a draw from [0, 1).
Duration backoff_delay(const BackoffPolicy& policy, unsigned attempt, double random01);

// cert-manager's retry after a failed issuance: 1 h, doubling, at most 32 h.
inline constexpr BackoffPolicy kIssuanceBackoff{std::chrono::hours(1), std::chrono::hours(32), 2.0,
                                                0.0};

class Backoff {
 public:
  explicit Backoff(BackoffPolicy policy, std::uint64_t seed = std::random_device{}())
      : policy_(policy), rng_(seed) {}
  Duration next();
  void reset() { attempt_ = 0; }
  unsigned attempts() const { return attempt_; }

 private:
  BackoffPolicy policy_;
  std::mt19937_64 rng_;
  unsigned attempt_ = 0;
};

}  // namespace certmill::reactor
