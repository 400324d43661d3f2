// What a test server (kube-sim, acme-front) told its clients to wait for, and
// the requests that came back before the wait was over: a client that ignores
// Retry-After. A request is one client's method and URL (and, for a create,
// the object's name), keyed by the server. A request that arrives within
// `in_flight` of the answer was on its way before the client could read it,
// and does not count. Pure and header-only: the server passes the times.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

namespace certmill::servers {

class RetryAfterLedger {
 public:
  using Clock = std::chrono::steady_clock;

  explicit RetryAfterLedger(Clock::duration in_flight = std::chrono::milliseconds(250))
      : in_flight_(in_flight) {}

  // The request `key` was answered at `now` with Retry-After `wait`.
  void told(const std::string& key, Clock::time_point now, Clock::duration wait) {
    forget_before(now);
    waits_[key] = Wait{now + in_flight_, now + wait};
  }

  // The request `key` arrives at `now`: true (and counted) when it comes back
  // before the wait it was told is over.
  bool arrived(const std::string& key, Clock::time_point now) {
    auto it = waits_.find(key);
    if (it == waits_.end())
      return false;
    const Wait wait = it->second;
    if (now >= wait.until)
      waits_.erase(it);
    if (now < wait.counted_from || now >= wait.until)
      return false;
    ++early_;
    return true;
  }

  // Whether any wait is being kept: a server can skip working out a key.
  bool empty() const { return waits_.empty(); }
  std::uint64_t early() const { return early_; }

 private:
  struct Wait {
    Clock::time_point counted_from;
    Clock::time_point until;
  };

  // Keeps the ledger as small as the waits in force, checked once a second.
  void forget_before(Clock::time_point now) {
    if (now < next_sweep_)
      return;
    next_sweep_ = now + std::chrono::seconds(1);
    std::erase_if(waits_, [now](const auto& entry) { return entry.second.until <= now; });
  }

  Clock::duration in_flight_;
  std::map<std::string, Wait> waits_;
  Clock::time_point next_sweep_{};
  std::uint64_t early_ = 0;
};

}  // namespace certmill::servers
