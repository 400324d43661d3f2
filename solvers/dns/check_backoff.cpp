// The doubling wait after server failures, reset by any answer.
#include "solvers/dns/check_backoff.hpp"

#include <algorithm>

namespace certmill::solvers::dns {

bool not_yet_propagated(const Error& error) {
  return error.code() == std::errc::resource_unavailable_try_again;
}

CheckBackoff::Clock::duration CheckBackoff::wait(Clock::time_point now) const {
  return std::max(Clock::duration::zero(), next_ - now);
}

void CheckBackoff::failed(const Error& error, Clock::time_point now) {
  if (not_yet_propagated(error)) {
    failures_ = 0;
    next_ = now;
    return;
  }
  const auto delay = std::min<Clock::duration>(kMost, kFirst * (1LL << std::min(failures_, 5)));
  ++failures_;
  next_ = now + delay;
}

}  // namespace certmill::solvers::dns
