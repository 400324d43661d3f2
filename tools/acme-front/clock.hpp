// The front's time: the monotonic clock plus an offset that the management
// API advances, so a test on a fake clock moves the front's buckets with it
// instead of sleeping. Touched only on the front's one shard.
#pragma once

#include <chrono>

#include "tools/acme-front/bucket.hpp"

namespace certmill::acmefront {

class FrontClock {
 public:
  Instant now() const { return std::chrono::steady_clock::now() + offset_; }
  void advance(Duration d) { offset_ += d; }
  Duration offset() const { return offset_; }

 private:
  Duration offset_{};
};

}  // namespace certmill::acmefront
