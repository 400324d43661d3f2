// The process-wide write limiter as a Client's WriteGate: one RateLimiter
// (--kube-api-qps, --kube-api-burst) lives on its owner shard, and every
// shard's writes ask it there, so the budget is global and lock-free.
#pragma once

#include "k8s/client.hpp"
#include "reactor/invoke.hpp"
#include "reactor/rate_limiter.hpp"

namespace certmill::k8s {

inline WriteGate make_write_gate(reactor::Shard& owner, reactor::RateLimiter& limiter) {
  return [&owner, &limiter](int priority) -> asio::awaitable<void> {
    co_await reactor::invoke_on(owner, [&limiter, priority] { return limiter.acquire(priority); });
  };
}

}  // namespace certmill::k8s
