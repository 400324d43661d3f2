// The line's admission scan and its projection.
#include "core/ratelimits/issuance_queue.hpp"

#include <algorithm>

namespace certmill::ratelimits {

void IssuanceQueue::wait(Waiting waiting) {
  auto [it, added] =
      entries_.try_emplace(waiting.key, Entry{waiting.deadline, waiting.shape, waiting.expiry});
  if (!added) {
    (account_exempt(it->second.shape) ? exempt_ : counted_).erase({it->second.deadline, it->first});
    it->second.deadline = std::min(it->second.deadline, waiting.deadline);
    it->second.shape = std::move(waiting.shape);
    it->second.expiry = waiting.expiry;
    it->second.not_before = {};
  }
  (account_exempt(it->second.shape) ? exempt_ : counted_).insert({it->second.deadline, it->first});
}

bool IssuanceQueue::remove(const std::string& key) {
  const auto it = entries_.find(key);
  if (it == entries_.end())
    return false;
  (account_exempt(it->second.shape) ? exempt_ : counted_).erase({it->second.deadline, key});
  entries_.erase(it);
  return true;
}

void IssuanceQueue::budget_loosened() {
  for (auto& [key, entry] : entries_)
    entry.not_before = {};
}

Admission IssuanceQueue::admit(AccountBudget& budget, Instant now, std::size_t max) {
  Admission result;
  auto later = [&](Instant until) { result.next = std::min(result.next.value_or(until), until); };
  std::vector<std::string> taken;
  // Both lines merged by deadline: a renewal due sooner goes before a new
  // order, and an exempt one is never held by the account's budget.
  auto counted = counted_.begin();
  auto exempt = exempt_.begin();
  bool account_open = true;
  while (taken.size() < max &&
         (exempt != exempt_.end() || (account_open && counted != counted_.end()))) {
    const bool from_exempt = exempt != exempt_.end() &&
                             (!account_open || counted == counted_.end() || *exempt < *counted);
    auto& it = from_exempt ? exempt : counted;
    const std::string& key = it->second;
    Entry& entry = entries_.at(key);
    ++it;
    if (entry.not_before > now) {
      later(entry.not_before);
      continue;
    }
    if (auto hold = budget.hold(entry.shape, now)) {
      later(hold->until);
      entry.not_before = hold->until;
      // The account's budget holds every counted order alike: stop their scan.
      if (hold->limit == Limit::NewOrdersPerAccount)
        account_open = false;
      continue;
    }
    budget.reserve(entry.shape, now);
    taken.push_back(key);
  }
  for (const std::string& key : taken) {
    auto node = entries_.extract(key);
    (account_exempt(node.mapped().shape) ? exempt_ : counted_).erase({node.mapped().deadline, key});
    result.admitted.push_back(
        {key, node.mapped().deadline, std::move(node.mapped().shape), node.mapped().expiry});
  }
  return result;
}

std::vector<Projection> IssuanceQueue::project(AccountBudget budget, Instant now,
                                               Duration lead) const {
  budget.send_reserved(now);
  std::vector<Order> line(counted_.begin(), counted_.end());
  line.insert(line.end(), exempt_.begin(), exempt_.end());
  std::sort(line.begin(), line.end());
  std::vector<Projection> out;
  out.reserve(line.size());
  for (const auto& [deadline, key] : line) {
    const Entry& entry = entries_.at(key);
    Instant start = now;
    // Each hold ends at a refill; a handful of steps at most in practice
    // (one per limit that applies), bounded in case buckets interlock.
    for (int step = 0; step < 64; ++step) {
      const auto hold = budget.hold(entry.shape, start);
      if (!hold)
        break;
      start = hold->until;
    }
    budget.placed(entry.shape, start);
    out.push_back({key, start, deadline, entry.expiry && start + lead > deadline});
  }
  return out;
}

std::array<std::size_t, kLimits.size()> IssuanceQueue::held_by(const AccountBudget& budget,
                                                               Instant now) const {
  std::array<std::size_t, kLimits.size()> counts{};
  for (const auto& [key, entry] : entries_) {
    if (auto hold = budget.hold(entry.shape, now))
      ++counts[static_cast<std::size_t>(hold->limit)];
  }
  return counts;
}

}  // namespace certmill::ratelimits
