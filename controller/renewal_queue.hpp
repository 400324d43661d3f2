// The scheduler's queue of renewals, as plain data: each Certificate waits
// until its (spread) due time, and among those due, the soonest-expiring go
// first, as many as the budget of the moment allows. One entry per key: a new
// due time replaces the old one.
#pragma once

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/time.hpp"

namespace certmill::controller {

class RenewalQueue {
 public:
  void upsert(const std::string& key, Time due, Time not_after);
  void erase(const std::string& key);

  // When the earliest waiting entry becomes due; nullopt when none waits.
  std::optional<Time> next_due() const;
  // Up to `budget` keys due at `now`, soonest notAfter first; they leave the queue.
  std::vector<std::string> pop_due(Time now, std::size_t budget);

  std::size_t size() const noexcept { return entries_.size(); }

 private:
  struct Entry {
    Time due;
    Time not_after;
  };
  using Index = std::set<std::pair<Time, std::string>>;
  std::unordered_map<std::string, Entry> entries_;
  Index by_due_;
};

}  // namespace certmill::controller
