// The slots and the lines, per group: a waiter is woken only when a slot of
// its group is free, and one woken that no longer needs to issue simply
// decides nothing.
#include "controller/issuance_slots.hpp"

#include <algorithm>

#include "controller/certificate_view.hpp"

namespace certmill::controller {

std::string slot_group(const std::string& ns, const api::IssuerRef& ref) {
  const api::IssuerRef full = with_defaults(ref);
  return full.group + "/" + full.kind + "/" + (full.kind == "ClusterIssuer" ? "" : ns) + "/" +
         full.name;
}

bool IssuanceSlots::admit(const std::string& key, const std::string& group) {
  if (holds_in_.contains(key))
    return true;
  Group& g = groups_[group];
  if (g.held.size() < limit_)
    return true;
  if (auto waiting = waits_in_.find(key); waiting != waits_in_.end()) {
    if (waiting->second == group)
      return false;
    leave_line(key);  // its issuer changed while it waited
  }
  g.line.push_back(key);
  waits_in_[key] = group;
  return false;
}

void IssuanceSlots::hold(const std::string& key, const std::string& group) {
  if (holds_in_.contains(key))
    return;
  leave_line(key);
  groups_[group].held.insert(key);
  holds_in_[key] = group;
}

std::optional<std::string> IssuanceSlots::release(const std::string& key) {
  auto holding = holds_in_.find(key);
  if (holding == holds_in_.end())
    return std::nullopt;
  const std::string group = std::move(holding->second);
  holds_in_.erase(holding);
  Group& g = groups_[group];
  g.held.erase(key);
  std::optional<std::string> woken;
  while (!g.line.empty() && g.held.size() < limit_) {
    std::string next = std::move(g.line.front());
    g.line.pop_front();
    waits_in_.erase(next);
    if (next != key) {
      woken = std::move(next);
      break;
    }
  }
  tidy(group);
  return woken;
}

std::optional<std::string> IssuanceSlots::forget(const std::string& key) {
  auto woken = release(key);
  leave_line(key);
  return woken;
}

bool IssuanceSlots::holds(const std::string& key) const {
  return holds_in_.contains(key);
}

std::size_t IssuanceSlots::held() const {
  return holds_in_.size();
}

std::size_t IssuanceSlots::waiting() const {
  return waits_in_.size();
}

void IssuanceSlots::leave_line(const std::string& key) {
  auto waiting = waits_in_.find(key);
  if (waiting == waits_in_.end())
    return;
  const std::string group = std::move(waiting->second);
  waits_in_.erase(waiting);
  std::erase(groups_[group].line, key);
  tidy(group);
}

void IssuanceSlots::tidy(const std::string& group) {
  auto it = groups_.find(group);
  if (it != groups_.end() && it->second.held.empty() && it->second.line.empty())
    groups_.erase(it);
}

}  // namespace certmill::controller
