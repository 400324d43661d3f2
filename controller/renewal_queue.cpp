// Two orders over one set of entries: by due time to find what is due, and
// by notAfter to choose among the due.
#include "controller/renewal_queue.hpp"

namespace certmill::controller {

void RenewalQueue::upsert(const std::string& key, Time due, Time not_after) {
  erase(key);
  entries_.emplace(key, Entry{due, not_after});
  by_due_.emplace(due, key);
}

void RenewalQueue::erase(const std::string& key) {
  auto it = entries_.find(key);
  if (it == entries_.end())
    return;
  by_due_.erase({it->second.due, key});
  entries_.erase(it);
}

std::optional<Time> RenewalQueue::next_due() const {
  if (by_due_.empty())
    return std::nullopt;
  return by_due_.begin()->first;
}

std::vector<std::string> RenewalQueue::pop_due(Time now, std::size_t budget) {
  Index due_by_expiry;
  for (auto it = by_due_.begin(); it != by_due_.end() && it->first <= now; ++it)
    due_by_expiry.emplace(entries_.at(it->second).not_after, it->second);
  std::vector<std::string> out;
  for (auto it = due_by_expiry.begin(); it != due_by_expiry.end() && out.size() < budget; ++it)
    out.push_back(it->second);
  for (const std::string& key : out)
    erase(key);
  return out;
}

}  // namespace certmill::controller
