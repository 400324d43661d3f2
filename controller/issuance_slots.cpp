// The slots and the line: a waiter is woken only when a slot is free, and
// one woken that no longer needs to issue simply decides nothing.
#include "controller/issuance_slots.hpp"

#include <algorithm>

namespace certmill::controller {

bool IssuanceSlots::admit(const std::string& key) {
  if (held_.contains(key) || held_.size() < limit_)
    return true;
  if (in_line_.insert(key).second)
    line_.push_back(key);
  return false;
}

std::optional<std::string> IssuanceSlots::release(const std::string& key) {
  if (held_.erase(key) == 0)
    return std::nullopt;
  while (!line_.empty() && held_.size() < limit_) {
    std::string next = std::move(line_.front());
    line_.pop_front();
    in_line_.erase(next);
    if (next != key)
      return next;
  }
  return std::nullopt;
}

std::optional<std::string> IssuanceSlots::forget(const std::string& key) {
  auto woken = release(key);
  if (in_line_.erase(key))
    std::erase(line_, key);
  return woken;
}

}  // namespace certmill::controller
