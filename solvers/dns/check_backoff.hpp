// When a DNS-01 propagation check asks the servers again after it failed.
// A record not yet propagated is asked again at the order's next check (its
// --dns01-check-retry-period paces that). A server that failed (SERVFAIL,
// REFUSED, a lame answer, no answer in time) gets more time after each
// failure in a row, 10 s, 20 s, 40 s ... at most 5 min, so a broken or
// overloaded server is not asked every period by every Challenge; the
// Challenge's reason says when it will be asked again. Pure.
#pragma once

#include <chrono>

#include "core/result.hpp"

namespace certmill::solvers::dns {

class CheckBackoff {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::seconds kFirst{10};
  static constexpr std::chrono::seconds kMost{300};

  // Whether the servers may be asked at `now`.
  bool may_ask(Clock::time_point now) const { return now >= next_; }
  // How long until they may, at `now` (zero when they may).
  Clock::duration wait(Clock::time_point now) const;
  // A check that failed at `now` with `error`.
  void failed(const Error& error, Clock::time_point now);
  // Server failures in a row so far.
  int failures() const { return failures_; }

 private:
  Clock::time_point next_ = {};
  int failures_ = 0;
};

// Whether `error` from check_dns01_propagation is the record not being there
// yet (a server answered), rather than a server failing to answer.
bool not_yet_propagated(const Error& error);

}  // namespace certmill::solvers::dns
