// IdlePool: keep-alive connections waiting for their next request. Servers
// close connections that sit idle (Go's http.Server after its IdleTimeout,
// load balancers after minutes), and a request sent on one fails; so a
// connection idle longer than `max_idle` is dropped instead of reused, as
// Go's IdleConnTimeout does for client-go (90 s). Once a reused connection
// has failed, the others in the pool have been idle as long or longer: the
// caller clears the pool and connects anew rather than trying the next one.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

namespace certmill::reactor {

inline constexpr std::chrono::seconds kDefaultMaxIdle{90};

template <class Connection>
class IdlePool {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  IdlePool(std::size_t capacity, std::chrono::steady_clock::duration max_idle)
      : capacity_(capacity), max_idle_(max_idle) {}

  // The connection idle the shortest time, or null when none went idle
  // within `max_idle` of `now` (the older ones are closed on the way).
  std::unique_ptr<Connection> take(TimePoint now) {
    while (!idle_.empty()) {
      auto [since, connection] = std::move(idle_.back());
      idle_.pop_back();
      if (now - since <= max_idle_)
        return std::move(connection);
    }
    return nullptr;
  }

  // Keeps `connection`, idle from `now`, unless the pool is full.
  void put(std::unique_ptr<Connection> connection, TimePoint now) {
    if (idle_.size() >= capacity_)
      return;
    idle_.emplace_back(now, std::move(connection));
  }

  void clear() { idle_.clear(); }
  std::size_t size() const { return idle_.size(); }

 private:
  std::size_t capacity_;
  std::chrono::steady_clock::duration max_idle_;
  // Oldest first: the back is the one that went idle last.
  std::vector<std::pair<TimePoint, std::unique_ptr<Connection>>> idle_;
};

}  // namespace certmill::reactor
