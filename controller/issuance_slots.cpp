// The slots and the lines, per group: a waiter is woken only when a slot of
// its group and of the total is free, the groups with a line taking turns,
// and one woken that no longer needs to issue, or is gone, passes its turn on.
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
  if (g.held.size() < limit_ && holds_in_.size() < total_)
    return true;
  if (auto waiting = waits_in_.find(key); waiting != waits_in_.end()) {
    if (waiting->second == group)
      return false;
    leave_line(key);  // its issuer changed while it waited
  }
  woken_.erase(key);  // a newcomer took the slot it was woken for
  if (g.line.empty())
    turns_.push_back(group);
  g.line.push_back(key);
  waits_in_[key] = group;
  return false;
}

void IssuanceSlots::hold(const std::string& key, const std::string& group) {
  if (holds_in_.contains(key))
    return;
  leave_line(key);
  woken_.erase(key);
  groups_[group].held.insert(key);
  holds_in_[key] = group;
}

std::optional<std::string> IssuanceSlots::release(const std::string& key) {
  auto holding = holds_in_.find(key);
  if (holding == holds_in_.end())
    return std::nullopt;
  const std::string group = std::move(holding->second);
  holds_in_.erase(holding);
  groups_[group].held.erase(key);
  auto woken = take_turn();
  tidy(group);
  return woken;
}

std::optional<std::string> IssuanceSlots::take_turn() {
  if (holds_in_.size() >= total_)
    return std::nullopt;
  // A group at its own limit keeps its place for the next turn.
  const auto turn = std::find_if(turns_.begin(), turns_.end(), [this](const std::string& group) {
    return groups_.at(group).held.size() < limit_;
  });
  if (turn == turns_.end())
    return std::nullopt;
  std::string group = std::move(*turn);
  turns_.erase(turn);
  Group& g = groups_.at(group);
  std::string next = std::move(g.line.front());
  g.line.pop_front();
  waits_in_.erase(next);
  woken_.insert(next);
  if (g.line.empty())
    tidy(group);
  else
    turns_.push_back(std::move(group));
  return next;
}

std::optional<std::string> IssuanceSlots::forget(const std::string& key) {
  // A key holds a slot, waits in a line, or was woken: never two of them.
  leave_line(key);
  return holds_in_.contains(key) ? release(key) : pass(key);
}

std::optional<std::string> IssuanceSlots::pass(const std::string& key) {
  if (!woken_.erase(key))
    return std::nullopt;
  return take_turn();
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
  auto& line = groups_[group].line;
  std::erase(line, key);
  if (line.empty())
    std::erase(turns_, group);
  tidy(group);
}

void IssuanceSlots::tidy(const std::string& group) {
  auto it = groups_.find(group);
  if (it != groups_.end() && it->second.held.empty() && it->second.line.empty())
    groups_.erase(it);
}

}  // namespace certmill::controller
