// The slots and the line of ChallengeSlots.
#include "controller/challenge_slots.hpp"

#include <algorithm>

namespace certmill::controller {

bool ChallengeSlots::take(const std::string& id) {
  if (held_.contains(id))
    return true;
  if (std::find(line_.begin(), line_.end(), id) != line_.end())
    return false;
  if (line_.empty() && held_.size() < limit_) {
    held_.insert(id);
    return true;
  }
  line_.push_back(id);
  return false;
}

std::optional<std::string> ChallengeSlots::give_back(const std::string& id) {
  if (held_.erase(id) == 0) {
    std::erase(line_, id);
    return std::nullopt;
  }
  if (line_.empty())
    return std::nullopt;
  std::string next = std::move(line_.front());
  line_.pop_front();
  held_.insert(next);
  return next;
}

}  // namespace certmill::controller
