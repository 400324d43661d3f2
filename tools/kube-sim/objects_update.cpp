// The update verb (PUT, the status subresource included) and write_existing,
// where update, patch and apply all end: it keeps what a client may not change,
// skips no-op writes, bumps generation and records managedFields.
#include <unordered_set>

#include "tools/kube-sim/api.hpp"
#include "tools/kube-sim/api_call.hpp"
#include "tools/kube-sim/builtins.hpp"
#include "tools/kube-sim/meta.hpp"
#include "tools/kube-sim/objects_internal.hpp"
#include "tools/kube-sim/status.hpp"

namespace certmill::kubesim {

namespace json = boost::json;

namespace {

// The object without what changes on every write, for no-op detection.
json::object comparable(const json::object& o) {
  json::object c = o;
  auto& md = metadata_of(c);
  md.erase("resourceVersion");
  md.erase("managedFields");
  return c;
}

bool spec_changed(const json::object& a, const json::object& b) {
  std::unordered_set<std::string> keys;
  for (const auto& kv : a)
    keys.insert(kv.key());
  for (const auto& kv : b)
    keys.insert(kv.key());
  for (const auto& k : keys) {
    if (k == "metadata" || k == "status")
      continue;
    auto* x = a.if_contains(k);
    auto* y = b.if_contains(k);
    if (!x || !y || *x != *y)
      return true;
  }
  return false;
}

// managedFields after `manager` wrote `after` over `before` with an Update:
// it owns the fields it changed, which no other manager owns any more.
json::array update_managed(const json::object& before, const json::object& after,
                           const std::string& manager, const std::string& api_version,
                           const std::string& subresource) {
  json::array in;
  if (auto* m = before.if_contains("metadata"); m && m->is_object())
    if (auto* mf = m->as_object().if_contains("managedFields"); mf && mf->is_array())
      in = mf->as_array();
  FieldSet changed;
  for (const auto& p : leaf_fields(after)) {
    const json::value* x = value_at(before, p);
    const json::value* y = value_at(after, p);
    if (!x || !y || *x != *y)
      changed.insert(p);
  }
  FieldSet removed;
  for (const auto& p : leaf_fields(before))
    if (!value_at(after, p))
      removed.insert(p);
  json::array out;
  bool mine_found = false;
  for (auto& ev : in) {
    if (!ev.is_object())
      continue;
    auto& e = ev.as_object();
    FieldSet fs = from_fields_v1(e.contains("fieldsV1") ? e["fieldsV1"] : json::value());
    const bool mine = e["manager"] == json::value(manager) && e["operation"] == "Update" &&
                      (e.contains("subresource") ? e["subresource"] == json::value(subresource)
                                                 : subresource.empty());
    if (mine) {
      mine_found = true;
      fs.insert(changed.begin(), changed.end());
      e["time"] = now_rfc3339();
    } else {
      for (const auto& p : changed)
        fs.erase(p);
    }
    for (const auto& p : removed)
      fs.erase(p);
    if (fs.empty())
      continue;
    e["fieldsV1"] = to_fields_v1(fs);
    out.push_back(std::move(e));
  }
  if (!mine_found && !changed.empty()) {
    json::object e{{"manager", manager},        {"operation", "Update"},
                   {"apiVersion", api_version}, {"time", now_rfc3339()},
                   {"fieldsType", "FieldsV1"},  {"fieldsV1", to_fields_v1(changed)}};
    if (!subresource.empty())
      e["subresource"] = subresource;
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

Response Api::update(Call& call) {
  call.verb = "update";
  const auto& t = *call.type;
  json::object object;
  Response error;
  if (!parse_object(call.request->body, call.request->content_type, t, object, error))
    return error;
  const std::string kind = object.contains("kind") && object["kind"].is_string()
                               ? std::string(object["kind"].as_string())
                               : "";
  if (!kind.empty() && kind != t.kind)
    return invalid(
        t, call.name,
        {{"FieldValueInvalid", "Invalid value: \"" + kind + "\": must be " + t.kind, "kind"}});
  const std::string body_name = meta_string(object, "name");
  if (!body_name.empty() && body_name != call.name)
    return bad_request("the name of the object (" + body_name +
                       ") does not match the name on the URL (" + call.name + ")");
  if (t.namespaced) {
    std::string body_ns = meta_string(object, "namespace");
    if (!body_ns.empty() && body_ns != call.ns)
      return bad_request(
          "the namespace of the provided object does not match the namespace sent on the request");
  }
  json::object* current = store_.find(t.key(), t.namespaced ? call.ns : "", call.name);
  if (!current)
    return not_found(t, call.name);
  const std::string rv = meta_string(object, "resourceVersion");
  if (rv.empty() && !t.builtin)
    return invalid(t, call.name,
                   {{"FieldValueInvalid", "Invalid value: 0x0: must be specified for an update",
                     "metadata.resourceVersion"}},
                   true);
  if (!rv.empty() && rv != meta_string(*current, "resourceVersion"))
    return conflict(t, call.name);
  auto& md = metadata_of(object);
  md["name"] = call.name;
  if (t.namespaced)
    md["namespace"] = call.ns;
  if (Response r = check_new_object(call, object, current); r.status != 0)
    return r;
  return write_existing(call, *current, std::move(object), "Update");
}

Response Api::write_existing(Call& call, json::object& current_ref, json::object updated,
                             std::string_view operation) {
  const auto& t = *call.type;
  const json::object current = current_ref;
  json::object result;
  if (call.sub == "status") {
    result = current;
    if (auto* s = updated.if_contains("status"))
      result["status"] = *s;
    else
      result.erase("status");
  } else {
    result = std::move(updated);
    auto& md = metadata_of(result);
    const auto& cmd = current.at("metadata").as_object();
    for (const char* k : {"uid", "creationTimestamp", "generation", "deletionTimestamp",
                          "deletionGracePeriodSeconds", "name", "namespace"}) {
      if (auto* v = cmd.if_contains(k))
        md[k] = *v;
      else
        md.erase(k);
    }
    if (auto* mf = cmd.if_contains("managedFields"))
      md["managedFields"] = *mf;
    else
      md.erase("managedFields");
    for (const char* k : {"apiVersion", "kind"})
      if (auto* v = current.if_contains(k))
        result[k] = *v;
    if (t.status_subresource && t.plural != "customresourcedefinitions" &&
        t.plural != "namespaces") {
      if (auto* s = current.if_contains("status"))
        result["status"] = *s;
      else
        result.erase("status");
    }
    if (t.plural == "customresourcedefinitions" || t.plural == "namespaces") {
      if (auto* s = current.if_contains("status"))
        result["status"] = *s;
    }
  }
  if (t.builtin)
    if (auto r = check_builtin(t, result, &current))
      return *r;
  if (comparable(result) == comparable(current)) {
    Response r = json_response(200, current);
    for (const auto& w : call.warnings)
      r.headers.emplace_back("Warning", w);
    return r;
  }
  auto& md = metadata_of(result);
  if (has_generation(t) && spec_changed(current, result) && md.contains("generation") &&
      md["generation"].is_int64())
    md["generation"] = md["generation"].as_int64() + 1;
  if (operation == "Update")
    md["managedFields"] =
        update_managed(current, result, manager_of(call), t.group_version(), call.sub);
  const std::string key =
      Store::key(t.namespaced ? meta_string(current, "namespace") : "", call.name);
  if (!meta_string(result, "deletionTimestamp").empty() && finalizers_of(result).empty()) {
    remove_object(t.key(), key, &current);
    sweep();
    Response r = json_response(200, t.builtin ? order_builtin(result) : sort_keys(result));
    return r;
  }
  if (t.plural == "customresourcedefinitions")
    registry_.define(result);
  put(t, std::move(result), "MODIFIED");
  Response r = json_response(200, store_.bucket(t.key())[key]);
  for (const auto& w : call.warnings)
    r.headers.emplace_back("Warning", w);
  return r;
}

}  // namespace certmill::kubesim
