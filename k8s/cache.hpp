// CachePartition: one shard's share of an informer's cache. Objects are kept
// as compact structs (only what certmill reads), found by "namespace/name",
// and every change is reported to the shard's handlers with the state before
// and after. Used only from its shard's thread.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

namespace certmill::k8s {

// The two halves of a cache key; a cluster-scoped object's namespace is empty.
struct ObjectName {
  std::string_view namespace_;
  std::string_view name;

  // "namespace/name", or a cluster-scoped object's bare name.
  static ObjectName parse(std::string_view key) {
    const auto slash = key.find('/');
    if (slash == std::string_view::npos)
      return {{}, key};
    return {key.substr(0, slash), key.substr(slash + 1)};
  }
  std::string key() const {
    return namespace_.empty() ? std::string(name)
                              : std::string(namespace_).append("/").append(name);
  }
  bool operator==(const ObjectName&) const = default;
};

// Where a cached object keeps its own namespace and name: an API struct in
// its metadata, a compact view in fields of its own.
template <class Compact>
ObjectName object_name_of(const Compact& object) {
  if constexpr (requires { object.metadata.name; }) {
    return {object.metadata.namespace_, object.metadata.name};
  } else {
    return {object.namespace_, object.name};
  }
}

// The set of a partition's objects. The key is not stored beside the object:
// each object already holds its namespace and name, and a separate
// "namespace/name" string cost a string and, for most names, a heap block
// in each of three caches, per Certificate.
template <class Compact>
struct CacheObjects {
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(ObjectName n) const noexcept {
      const std::size_t h = std::hash<std::string_view>()(n.namespace_);
      return h ^
             (std::hash<std::string_view>()(n.name) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
    }
    std::size_t operator()(const Compact& object) const noexcept {
      return (*this)(object_name_of(object));
    }
  };
  struct Equal {
    using is_transparent = void;
    static ObjectName name(ObjectName n) { return n; }
    static ObjectName name(const Compact& object) { return object_name_of(object); }
    template <class A, class B>
    bool operator()(const A& a, const B& b) const noexcept {
      return name(a) == name(b);
    }
  };
  using Set = std::unordered_set<Compact, Hash, Equal>;
};

template <class Compact>
class CachePartition {
 public:
  using Objects = typename CacheObjects<Compact>::Set;
  // `before` is null for an added object, `after` null for a deleted one.
  using Handler =
      std::function<void(const std::string& key, const Compact* before, const Compact* after)>;

  void on_change(Handler handler) { handlers_.push_back(std::move(handler)); }

  const Compact* find(ObjectName name) const {
    auto it = objects_.find(name);
    return it == objects_.end() ? nullptr : &*it;
  }
  const Compact* find(std::string_view key) const { return find(ObjectName::parse(key)); }
  std::size_t size() const { return objects_.size(); }
  bool synced() const { return synced_; }
  const Objects& objects() const { return objects_; }
  static std::string key_of(const Compact& object) { return object_name_of(object).key(); }

  void upsert(Compact value) {
    auto it = objects_.find(object_name_of(value));
    if (it == objects_.end()) {
      notify(nullptr, &*objects_.insert(std::move(value)).first);
    } else if (!(*it == value)) {
      // A set's elements are const in place; the node goes out, takes the
      // new state and comes back without a new allocation.
      auto node = objects_.extract(it);
      Compact before = std::exchange(node.value(), std::move(value));
      notify(&before, &*objects_.insert(std::move(node)).position);
    }
  }

  void erase(std::string_view key) {
    // Erasing by a key that is not the element type comes only in C++23.
    auto it = objects_.find(ObjectName::parse(key));
    if (it == objects_.end())
      return;
    auto node = objects_.extract(it);
    notify(&node.value(), nullptr);
  }

  // A complete list replaces what was cached: objects missing from it are
  // reported deleted, new and changed ones added or modified, so a relist
  // after 410 leaves no phantom and misses nothing. Keys in `keep` (listed,
  // but not decodable) keep their last good state.
  void replace(Objects snapshot, const std::unordered_set<std::string>& keep = {}) {
    std::vector<std::string> gone;
    for (const Compact& object : objects_) {
      if (snapshot.contains(object_name_of(object)))
        continue;
      std::string key = key_of(object);
      if (!keep.contains(key))
        gone.push_back(std::move(key));
    }
    for (const auto& key : gone)
      erase(key);
    // A new object's node moves over from the snapshot as it is: allocating
    // a second one held both copies of a whole list at once (at a restart
    // over 10,000 Certificates, megabytes of peak RSS per kind).
    for (auto it = snapshot.begin(); it != snapshot.end();) {
      auto listed = it++;
      if (objects_.contains(object_name_of(*listed))) {
        upsert(std::move(snapshot.extract(listed).value()));
        continue;
      }
      notify(nullptr, &*objects_.insert(snapshot.extract(listed)).position);
    }
    synced_ = true;
  }

 private:
  void notify(const Compact* before, const Compact* after) {
    const std::string key = key_of(after ? *after : *before);
    for (const auto& handler : handlers_)
      handler(key, before, after);
  }

  Objects objects_;
  std::vector<Handler> handlers_;
  bool synced_ = false;
};

}  // namespace certmill::k8s
