// The front's time: the monotonic clock plus an offset that the management
// API advances, so a test on a fake clock moves the front's buckets with it
// instead of sleeping. Touched only on the front's one shard.
#pragma once

#include <chrono>

#include "core/duration.hpp"
#include "core/ratelimits/bucket.hpp"

namespace certmill::acmefront {

// Monotonic time plus the offset the management API adds.
using Instant = std::chrono::steady_clock::time_point;
using Bucket = ratelimits::BasicBucket<Instant>;
using ratelimits::format_limit_spec;
using ratelimits::LimitSpec;
using ratelimits::parse_limit_spec;

class FrontClock {
 public:
  Instant now() const { return std::chrono::steady_clock::now() + offset_; }
  void advance(Duration d) { offset_ += d; }
  Duration offset() const { return offset_; }

 private:
  Duration offset_{};
};

}  // namespace certmill::acmefront
