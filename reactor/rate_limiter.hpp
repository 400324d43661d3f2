// RateLimiter: a TokenBucket on a Clock that coroutines wait on, served by
// priority (higher first, first come first served within one priority), so
// soon-to-expire certificates get the API server's budget before routine work.
// Lives on one shard; other shards ask through invoke_on.
#pragma once

#include <memory>

#include <boost/asio/awaitable.hpp>
#include <boost/system/error_code.hpp>

#include "reactor/clock.hpp"
#include "reactor/token_bucket.hpp"

namespace certmill::reactor {

class RateLimiter {
 public:
  RateLimiter(Clock& clock, double rate, double burst);
  ~RateLimiter();
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // Completes when a token is granted, or with operation_aborted when the
  // awaiting coroutine is cancelled (no token is spent then).
  asio::awaitable<boost::system::error_code> acquire(int priority = 0);
  std::size_t waiting() const;

 private:
  struct State;
  static asio::awaitable<void> dispatch(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;
};

}  // namespace certmill::reactor
