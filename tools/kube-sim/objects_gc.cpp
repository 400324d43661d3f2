// Garbage collection after deletions: dependents of deleted owners, the
// foregroundDeletion and orphan finalizers, and terminating namespaces.
#include <unordered_map>
#include <unordered_set>

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

void Api::sweep() {
  if (gc_relevant_ == 0) {
    sweep_needed_ = false;
    return;
  }
  for (int round = 0; sweep_needed_ && round < 64; ++round) {
    sweep_needed_ = false;
    std::unordered_set<std::string> live;
    for (auto& [tk, bucket] : store_.buckets())
      for (auto& [k, o] : bucket)
        live.insert(meta_string(o, "uid"));
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
    // Owner references: dependents of a deleted owner go; foreground and
    // orphan finalizers are processed.
    std::unordered_map<std::string, std::vector<std::pair<std::string, std::string>>> dependents;
    for (auto& [tk, bucket] : store_.buckets()) {
      for (auto& [k, o] : bucket) {
        auto* m = o.if_contains("metadata");
        auto* refs = m ? m->as_object().if_contains("ownerReferences") : nullptr;
        if (!refs || !refs->is_array() || refs->as_array().empty())
          continue;
        bool any_live = false;
        for (const auto& r : refs->as_array()) {
          if (!r.is_object())
            continue;
          auto* u = r.as_object().if_contains("uid");
          if (u && u->is_string()) {
            dependents[std::string(u->as_string())].emplace_back(tk, k);
            any_live = any_live || live.count(std::string(u->as_string()));
          }
        }
        if (!any_live && meta_string(o, "deletionTimestamp").empty())
          actions.push_back({tk, k, Action::erase, ""});
      }
    }
    for (auto& [tk, bucket] : store_.buckets()) {
      for (auto& [k, o] : bucket) {
        if (meta_string(o, "deletionTimestamp").empty())
          continue;
        for (const auto& f : finalizers_of(o)) {
          if (f != "foregroundDeletion" && f != "orphan")
            continue;
          auto deps = dependents.find(meta_string(o, "uid"));
          const bool none = deps == dependents.end() || deps->second.empty();
          if (f == "orphan" || none) {
            actions.push_back({tk, k, Action::finalize, std::string(f.as_string())});
          } else {
            for (const auto& [dt, dk] : deps->second)
              if (meta_string(store_.bucket(dt)[dk], "deletionTimestamp").empty())
                actions.push_back({dt, dk, Action::erase, ""});
          }
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
        auto deps = dependents.find(uid);
        if (deps != dependents.end()) {
          for (const auto& [dt, dk] : deps->second) {
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
