// A rate limit as Let's Encrypt states them, "N per period": a bucket of N
// tokens that gets one back every period/N. Kept as GCRA (one theoretical
// arrival time), as Let's Encrypt's own limiter does, in integer nanoseconds:
// the wait it reports is exact, so a test can refill a bucket by advancing the
// front's clock by exactly the Retry-After it was given.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/duration.hpp"
#include "core/result.hpp"

namespace certmill::acmefront {

// Monotonic time plus the offset the management API adds (clock.hpp).
using Instant = std::chrono::steady_clock::time_point;

struct LimitSpec {
  unsigned count = 0;  // 0: no limit
  Duration period{};
};

// "300/3h", "50/168h"; "0" turns the limit off.
Result<LimitSpec> parse_limit_spec(std::string_view text);
std::string format_limit_spec(const LimitSpec& spec);

class Bucket {
 public:
  explicit Bucket(LimitSpec spec);

  // Zero when a token is there at `now`, else how long until one is.
  Duration wait(Instant now) const;
  // Takes a token whether or not one is there: a certificate issued counts
  // even when concurrent orders overshot, and only pushes the wait further.
  void consume(Instant now);

 private:
  LimitSpec spec_;
  Duration emission_{};
  std::optional<Instant> arrival_;  // unset: the bucket is full
};

}  // namespace certmill::acmefront
