// What the API server told one client to wait for, request by request: a
// request it answered with a Retry-After (429, or a 5xx that carries one) is
// not sent again before that has passed. client-go waits it out for the one
// request it retries; certmill's callers retry later in their own way (a
// reconcile's backoff, an Order's next step, the next ARI question), and
// without this could come back sooner than the server asked. Pure; the
// client passes the times. A request is its method and target, and for a
// create the object's name (a collection takes many creates).
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace certmill::k8s {

class RetryAfterHolds {
 public:
  using Clock = std::chrono::steady_clock;

  // `request` was answered at `now` with Retry-After `wait`.
  void hold(const std::string& request, Clock::time_point now, Clock::duration wait);
  // How long `request` must still wait, if it must.
  std::optional<Clock::duration> held(const std::string& request, Clock::time_point now);
  bool empty() const { return until_.empty(); }

  // The request as the holds know it (see above); `body` is read only for a
  // POST, and only as far as its metadata's name.
  static std::string request_of(std::string_view method, std::string_view target,
                                std::string_view body);

 private:
  std::map<std::string, Clock::time_point, std::less<>> until_;
  Clock::time_point next_sweep_{};
};

}  // namespace certmill::k8s
