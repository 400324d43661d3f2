// Garbage collection after deletions: dependents of deleted owners, the
// foregroundDeletion and orphan finalizers, and terminating namespaces.
#include <algorithm>
#include <set>
#include <vector>

#include "tools/kube-sim/api.hpp"
#include "tools/kube-sim/meta.hpp"
#include "tools/kube-sim/objects_internal.hpp"

namespace certmill::kubesim {

namespace json = boost::json;

json::array finalizers_of(const json::object& o) {
  if (auto* m = o.if_contains("metadata"); m && m->is_object())
    if (auto* f = m->as_object().if_contains("finalizers"); f && f->is_array())
      return f->as_array();
  return {};
}

namespace {

// The uids `o`'s owner references name.
std::vector<std::string> owner_uids(const json::object& o) {
  std::vector<std::string> uids;
  auto* m = o.if_contains("metadata");
  auto* refs = m && m->is_object() ? m->as_object().if_contains("ownerReferences") : nullptr;
  if (!refs || !refs->is_array())
    return uids;
  for (const auto& r : refs->as_array()) {
    if (!r.is_object())
      continue;
    if (auto* u = r.as_object().if_contains("uid"); u && u->is_string())
      uids.emplace_back(u->as_string());
  }
  return uids;
}

// Deleted, and held until its dependents are gone or orphaned.
bool waits_on_dependents(const json::object& o) {
  if (meta_string(o, "deletionTimestamp").empty())
    return false;
  for (const auto& f : finalizers_of(o))
    if (f == "foregroundDeletion" || f == "orphan")
      return true;
  return false;
}

}  // namespace

void Api::index_for_gc(const ObjectRef& ref, const json::object& object) {
  if (object.empty())
    return;
  live_uids_.insert(meta_string(object, "uid"));
  const auto uids = owner_uids(object);
  for (const auto& uid : uids)
    dependents_[uid].insert(ref);
  if (!uids.empty())
    owners_to_check_.insert(ref);
  if (waits_on_dependents(object))
    finalizing_.insert(ref);
}

void Api::unindex_for_gc(const ObjectRef& ref, const json::object& object) {
  for (const auto& uid : owner_uids(object)) {
    auto owned = dependents_.find(uid);
    if (owned == dependents_.end())
      continue;
    owned->second.erase(ref);
    if (owned->second.empty())
      dependents_.erase(owned);
  }
  finalizing_.erase(ref);
}

void Api::sweep() {
  if (gc_relevant_ == 0) {
    sweep_needed_ = false;
    owners_to_check_.clear();  // no object has an owner
    return;
  }
  for (int round = 0; sweep_needed_ && round < 64; ++round) {
    sweep_needed_ = false;
    struct Action {
      std::string type_key;
      std::string key;
      enum { finalize, erase } what;
      std::string finalizer;
    };
    std::vector<Action> actions;
    // Namespaces being deleted: delete their contents, then the namespace.
    for (auto& [nk, ns] : store_.bucket("/namespaces")) {
      if (meta_string(ns, "deletionTimestamp").empty())
        continue;
      const std::string prefix = meta_string(ns, "name") + "/";
      std::size_t left = 0;
      for (auto& [tk, bucket] : store_.buckets()) {
        if (tk == "/namespaces")
          continue;
        for (auto it = bucket.lower_bound(prefix);
             it != bucket.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
          ++left;
          if (meta_string(it->second, "deletionTimestamp").empty())
            actions.push_back({tk, it->first, Action::erase, ""});
        }
      }
      if (left == 0)
        actions.push_back({"/namespaces", nk, Action::finalize, ""});
    }
    // Owner references: dependents whose owners are all gone go; foreground
    // and orphan finalizers are processed.
    std::set<ObjectRef> to_check;
    to_check.swap(owners_to_check_);
    for (const auto& [tk, k] : to_check) {
      auto& bucket = store_.bucket(tk);
      auto it = bucket.find(k);
      if (it == bucket.end() || !meta_string(it->second, "deletionTimestamp").empty())
        continue;
      const auto uids = owner_uids(it->second);
      if (!uids.empty() && std::none_of(uids.begin(), uids.end(), [&](const std::string& uid) {
            return live_uids_.contains(uid);
          }))
        actions.push_back({tk, k, Action::erase, ""});
    }
    for (const auto& [tk, k] : finalizing_) {
      const json::object& o = store_.bucket(tk).at(k);
      for (const auto& f : finalizers_of(o)) {
        if (f != "foregroundDeletion" && f != "orphan")
          continue;
        auto deps = dependents_.find(meta_string(o, "uid"));
        const bool none = deps == dependents_.end() || deps->second.empty();
        if (f == "orphan" || none) {
          actions.push_back({tk, k, Action::finalize, std::string(f.as_string())});
        } else {
          for (const auto& [dt, dk] : deps->second)
            if (meta_string(store_.bucket(dt)[dk], "deletionTimestamp").empty())
              actions.push_back({dt, dk, Action::erase, ""});
        }
      }
    }
    for (const auto& a : actions) {
      auto& bucket = store_.bucket(a.type_key);
      auto it = bucket.find(a.key);
      if (it == bucket.end())
        continue;
      if (a.what == Action::erase) {
        if (meta_string(it->second, "deletionTimestamp").empty())
          delete_object(a.type_key, a.key, "Background", nullptr);
        continue;
      }
      if (a.type_key == "/namespaces") {
        remove_object(a.type_key, a.key, nullptr);
        continue;
      }
      json::object o = it->second;
      json::array left;
      for (const auto& f : finalizers_of(o))
        if (f != json::value(a.finalizer))
          left.push_back(f);
      if (a.finalizer == "orphan") {
        const std::string uid = meta_string(o, "uid");
        auto deps = dependents_.find(uid);
        if (deps != dependents_.end()) {
          // Copied: each put() below takes its dependent out of the index.
          const std::set<ObjectRef> orphans = deps->second;
          for (const auto& [dt, dk] : orphans) {
            auto& dep = store_.bucket(dt)[dk];
            json::object d = dep;
            json::array refs;
            for (const auto& r : metadata_of(d)["ownerReferences"].as_array())
              if (!(r.is_object() && r.as_object().contains("uid") &&
                    r.as_object().at("uid") == json::value(uid)))
                refs.push_back(r);
            metadata_of(d)["ownerReferences"] = std::move(refs);
            for (const auto& t : registry_.all())
              if (t->key() == dt) {
                put(*t, std::move(d), "MODIFIED");
                break;
              }
          }
        }
      }
      if (left.empty()) {
        remove_object(a.type_key, a.key, nullptr);
      } else {
        metadata_of(o)["finalizers"] = std::move(left);
        for (const auto& t : registry_.all())
          if (t->key() == a.type_key) {
            put(*t, std::move(o), "MODIFIED");
            break;
          }
      }
      sweep_needed_ = true;
    }
    if (!actions.empty())
      sweep_needed_ = true;
    if (actions.empty())
      break;
  }
}

}  // namespace certmill::kubesim
