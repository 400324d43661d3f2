// The delete and deletecollection verbs, with preconditions, dry runs,
// propagation policies and the finalizers that hold an object back.
#include "tools/kube-sim/api.hpp"
#include "tools/kube-sim/api_call.hpp"
#include "tools/kube-sim/meta.hpp"
#include "tools/kube-sim/objects_internal.hpp"
#include "tools/kube-sim/status.hpp"

namespace certmill::kubesim {

namespace json = boost::json;

Response Api::remove(Call& call) {
  call.verb = "delete";
  const auto& t = *call.type;
  const std::string ns = t.namespaced ? call.ns : "";
  json::object* current = store_.find(t.key(), ns, call.name);
  if (!current)
    return not_found(t, call.name);
  std::string propagation = call.param("propagationPolicy");
  bool dry_run = call.param("dryRun") == "All";
  std::string want_uid;
  std::string want_rv;
  if (!call.request->body.empty()) {
    json::error_code ec;
    json::value v = json::parse(call.request->body, ec);
    if (ec || !v.is_object())
      return bad_request("DeleteOptions in body is not valid JSON");
    const auto& o = v.as_object();
    if (auto* p = o.if_contains("propagationPolicy"); p && p->is_string())
      propagation = p->as_string();
    if (auto* d = o.if_contains("dryRun"); d && d->is_array())
      for (const auto& x : d->as_array())
        dry_run = dry_run || x == "All";
    if (auto* pre = o.if_contains("preconditions"); pre && pre->is_object()) {
      if (auto* u = pre->as_object().if_contains("uid"); u && u->is_string())
        want_uid = u->as_string();
      if (auto* r = pre->as_object().if_contains("resourceVersion"); r && r->is_string())
        want_rv = r->as_string();
    }
  }
  const std::string uid = meta_string(*current, "uid");
  auto precondition_failed = [&](const std::string& what, const std::string& want,
                                 const std::string& have, const std::string& tail) {
    return status_response(409, "Conflict",
                           "Operation cannot be fulfilled on " + qualified(t.kind, t.group) +
                               " \"" + call.name + "\": the " + what + " in the precondition (" +
                               want + ") does not match the " + what + " in record (" + have +
                               "). " + tail,
                           details_for(t, call.name, false));
  };
  if (!want_uid.empty() && want_uid != uid)
    return precondition_failed("UID", want_uid, uid,
                               "The object might have been deleted and then recreated");
  if (!want_rv.empty() && want_rv != meta_string(*current, "resourceVersion"))
    return precondition_failed("ResourceVersion", want_rv, meta_string(*current, "resourceVersion"),
                               "The object might have been modified");
  StatusDetails done = details_for(t, call.name, true);
  done.uid = uid;
  if (dry_run)
    return status_response(200, "", "", done);
  const std::string key = Store::key(ns, call.name);
  if (t.plural == "namespaces") {
    json::object o = *current;
    if (meta_string(o, "deletionTimestamp").empty()) {
      metadata_of(o)["deletionTimestamp"] = now_rfc3339();
      metadata_of(o)["deletionGracePeriodSeconds"] = 0;
      o["status"] = json::object{{"phase", "Terminating"}};
      put(t, std::move(o), "MODIFIED");
    }
    json::object shown = store_.bucket(t.key())[key];
    sweep_needed_ = true;
    sweep();
    return json_response(200, shown);
  }
  if (t.plural == "customresourcedefinitions") {
    const std::string group = [&] {
      const auto& spec = current->at("spec").as_object();
      return std::string(spec.at("group").as_string());
    }();
    const std::string plural = std::string(
        current->at("spec").as_object().at("names").as_object().at("plural").as_string());
    const std::string instances = group + "/" + plural;
    std::vector<std::string> keys;
    for (const auto& [k, o] : store_.bucket(instances))
      keys.push_back(k);
    for (const auto& k : keys)
      remove_object(instances, k, nullptr);
    registry_.undefine(call.name);
    remove_object(t.key(), key, nullptr);
    sweep();
    return status_response(200, "", "", done);
  }
  if (propagation.empty())
    propagation = "Background";
  json::object result;
  const bool removed = delete_object(t.key(), key, propagation, &result);
  sweep();
  if (removed)
    return status_response(200, "", "", done);
  return json_response(200, result);
}

Response Api::remove_collection(Call& call) {
  call.verb = "deletecollection";
  const auto& t = *call.type;
  std::string error;
  std::optional<Selector> labels, fields;
  if (!parse_selectors(call.param("labelSelector"), call.param("fieldSelector"), t.builtin, labels,
                       fields, error))
    return bad_request(error);
  const std::string prefix = t.namespaced && call.ns_in_path ? call.ns + "/" : "";
  std::vector<std::string> keys;
  auto& bucket = store_.bucket(t.key());
  for (auto it = bucket.lower_bound(prefix);
       it != bucket.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it)
    if (matches_labels(*labels, it->second) && matches_fields(*fields, it->second))
      keys.push_back(it->first);
  json::array items;
  for (const auto& k : keys) {
    json::object result;
    delete_object(t.key(), k, "Background", &result);
    items.push_back(std::move(result));
  }
  sweep();
  json::object list;
  list["apiVersion"] = t.group_version();
  list["items"] = std::move(items);
  list["kind"] = t.list_kind;
  list["metadata"] =
      json::object{{"continue", ""}, {"resourceVersion", std::to_string(store_.rv())}};
  return json_response(200, list);
}

bool Api::delete_object(const std::string& type_key, const std::string& key,
                        std::string_view propagation, json::object* result) {
  auto& bucket = store_.bucket(type_key);
  auto it = bucket.find(key);
  if (it == bucket.end())
    return false;
  json::object o = it->second;
  auto& md = metadata_of(o);
  json::array finalizers = finalizers_of(o);
  const std::size_t before = finalizers.size();
  auto add = [&](const char* f) {
    for (const auto& x : finalizers)
      if (x == f)
        return;
    finalizers.push_back(f);
  };
  if (propagation == "Foreground")
    add("foregroundDeletion");
  else if (propagation == "Orphan")
    add("orphan");
  if (finalizers.empty()) {
    if (result)
      *result = o;
    remove_object(type_key, key, nullptr);
    return true;
  }
  const bool newly = md.if_contains("deletionTimestamp") == nullptr;
  if (newly || finalizers.size() != before) {
    md["finalizers"] = finalizers;
    if (newly) {
      md["deletionTimestamp"] = now_rfc3339();
      md["deletionGracePeriodSeconds"] = 0;
      if (auto* g = md.if_contains("generation"); g && g->is_int64())
        *g = g->as_int64() + 1;
    }
    TypePtr type;
    for (const auto& t : registry_.all())
      if (t->key() == type_key)
        type = t;
    if (type) {
      put(*type, std::move(o), "MODIFIED");
    }
  }
  sweep_needed_ = true;
  if (result)
    *result = bucket[key];
  return false;
}

}  // namespace certmill::kubesim
