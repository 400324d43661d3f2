// How many ACME challenges one shard presents at once
// (--max-concurrent-challenges, as cert-manager's challenge scheduler limits
// the challenges it processes): a challenge takes a slot before it is
// presented and gives it back once cleaned up; the others wait first come,
// first served, and a freed slot passes straight to the first in line, so a
// newcomer never overtakes it. Pure data, no I/O.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <unordered_set>

namespace certmill::controller {

class ChallengeSlots {
 public:
  explicit ChallengeSlots(std::size_t limit) : limit_(limit) {}

  // Whether `id` holds a slot now; if not, it waits in line (once).
  bool take(const std::string& id);
  // `id` is done, or stopped waiting: its slot or its place in line goes.
  // Returns the waiter that now holds the slot, if any.
  std::optional<std::string> give_back(const std::string& id);

  bool holds(const std::string& id) const { return held_.contains(id); }
  std::size_t held() const { return held_.size(); }
  std::size_t waiting() const { return line_.size(); }

 private:
  std::size_t limit_;
  std::unordered_set<std::string> held_;
  std::deque<std::string> line_;
};

}  // namespace certmill::controller
