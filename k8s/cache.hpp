// CachePartition: one shard's share of an informer's cache. Objects are kept
// as compact structs (only what certmill reads), keyed "namespace/name", and
// every change is reported to the shard's handlers with the state before and
// after. Used only from its shard's thread.
#pragma once

#include <functional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace certmill::k8s {

template <class Compact>
class CachePartition {
 public:
  // `before` is null for an added object, `after` null for a deleted one.
  using Handler =
      std::function<void(const std::string& key, const Compact* before, const Compact* after)>;

  void on_change(Handler handler) { handlers_.push_back(std::move(handler)); }

  const Compact* find(const std::string& key) const {
    auto it = objects_.find(key);
    return it == objects_.end() ? nullptr : &it->second;
  }
  std::size_t size() const { return objects_.size(); }
  bool synced() const { return synced_; }
  const std::unordered_map<std::string, Compact>& objects() const { return objects_; }

  void upsert(const std::string& key, Compact value) {
    auto it = objects_.find(key);
    if (it == objects_.end()) {
      const Compact& added = objects_.emplace(key, std::move(value)).first->second;
      notify(key, nullptr, &added);
    } else if (!(it->second == value)) {
      const Compact before = std::exchange(it->second, std::move(value));
      notify(key, &before, &it->second);
    }
  }

  void erase(const std::string& key) {
    auto node = objects_.extract(key);
    if (!node.empty())
      notify(key, &node.mapped(), nullptr);
  }

  // A complete list replaces what was cached: objects missing from it are
  // reported deleted, new and changed ones added or modified, so a relist
  // after 410 leaves no phantom and misses nothing. Keys in `keep` (listed,
  // but not decodable) keep their last good state.
  void replace(std::unordered_map<std::string, Compact> snapshot,
               const std::unordered_set<std::string>& keep = {}) {
    std::vector<std::string> gone;
    for (const auto& [key, value] : objects_) {
      if (!snapshot.contains(key) && !keep.contains(key))
        gone.push_back(key);
    }
    for (const auto& key : gone)
      erase(key);
    // A new object's node moves over from the snapshot as it is: allocating
    // a second one held both copies of a whole list at once (at a restart
    // over 10,000 Certificates, megabytes of peak RSS per kind).
    for (auto it = snapshot.begin(); it != snapshot.end();) {
      auto listed = it++;
      if (objects_.contains(listed->first)) {
        upsert(listed->first, std::move(listed->second));
        continue;
      }
      auto added = objects_.insert(snapshot.extract(listed)).position;
      notify(added->first, nullptr, &added->second);
    }
    synced_ = true;
  }

 private:
  void notify(const std::string& key, const Compact* before, const Compact* after) {
    for (const auto& handler : handlers_)
      handler(key, before, after);
  }

  std::unordered_map<std::string, Compact> objects_;
  std::vector<Handler> handlers_;
  bool synced_ = false;
};

}  // namespace certmill::k8s
