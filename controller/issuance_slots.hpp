// How many issuances one shard carries at once, from a new key to the stored
// Secret, and who waits for a slot: first come, first served, so memory stays
// bounded when a whole fleet is due at once and started issuances finish
// before new ones begin. Pure data, no I/O; the scheduler the rate-limit
// issue asks for (budgets, deadlines) grows here.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <unordered_set>

namespace certmill::controller {

class IssuanceSlots {
 public:
  explicit IssuanceSlots(std::size_t limit) : limit_(limit) {}

  // Whether `key` may start, or go on with, an issuance now. If not, it waits
  // in line (once) until release() or forget() hands it a slot.
  bool admit(const std::string& key);
  // `key`'s issuance has begun: it holds a slot until release().
  void hold(const std::string& key) { held_.insert(key); }
  // `key`'s issuance ended (stored or failed): the waiter to wake, if any.
  std::optional<std::string> release(const std::string& key);
  // `key` is gone: it gives up its slot and its place in line.
  std::optional<std::string> forget(const std::string& key);

  bool holds(const std::string& key) const { return held_.contains(key); }
  std::size_t held() const { return held_.size(); }
  std::size_t waiting() const { return line_.size(); }

 private:
  std::size_t limit_;
  std::unordered_set<std::string> held_;
  std::deque<std::string> line_;
  std::unordered_set<std::string> in_line_;
};

}  // namespace certmill::controller
