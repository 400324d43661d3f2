// Server-side apply: field ownership by manager, conflicts, and the merge of
// the applied configuration into the live object.
#include "tools/kube-sim/api.hpp"
#include "tools/kube-sim/api_call.hpp"
#include "tools/kube-sim/meta.hpp"
#include "tools/kube-sim/objects_internal.hpp"
#include "tools/kube-sim/status.hpp"

namespace certmill::kubesim {

namespace json = boost::json;

namespace {

void deep_merge(json::value& target, const json::value& applied) {
  if (!applied.is_object() || !target.is_object()) {
    target = applied;
    return;
  }
  auto& t = target.as_object();
  for (const auto& [k, v] : applied.as_object())
    deep_merge(t[k], v);
}

}  // namespace

Response Api::apply(Call& call, json::object* current) {
  call.verb = "patch";
  const auto& t = *call.type;
  json::object applied;
  Response error;
  if (!parse_object(call.request->body, call.request->content_type, t, applied, error))
    return error;
  const std::string manager = call.param("fieldManager");
  if (!current) {
    if (!call.sub.empty())
      return not_found(t, call.name);
    if (auto denied = authorize_create(call))
      return *denied;
    Response r = create(call, std::move(applied), true);
    call.verb = "patch";
    return r;
  }
  if (Response r = check_new_object(call, applied, current); r.status != 0)
    return r;
  const bool force = call.param("force") == "true";
  FieldSet fields = leaf_fields(applied);
  if (call.sub == "status")
    std::erase_if(fields, [](const std::string& f) { return !f.starts_with(".status"); });
  else if (t.status_subresource)
    std::erase_if(fields, [](const std::string& f) { return f.starts_with(".status"); });
  json::array managed;
  if (auto* mf = current->at("metadata").as_object().if_contains("managedFields");
      mf && mf->is_array())
    managed = mf->as_array();
  std::vector<std::pair<std::string, std::string>> conflicts;  // manager, field
  FieldSet previously_mine;
  for (auto& ev : managed) {
    auto& e = ev.as_object();
    FieldSet fs = from_fields_v1(e.contains("fieldsV1") ? e["fieldsV1"] : json::value());
    const bool same_sub =
        e.contains("subresource") ? e["subresource"] == json::value(call.sub) : call.sub.empty();
    if (e["manager"] == json::value(manager) && e["operation"] == "Apply" && same_sub) {
      previously_mine = fs;
      continue;
    }
    for (const auto& f : fields) {
      if (!fs.count(f))
        continue;
      const json::value* live = value_at(*current, f);
      const json::value* want = value_at(applied, f);
      if (!live || !want || *live != *want)
        conflicts.emplace_back(std::string(e["manager"].as_string()), f);
    }
  }
  if (!conflicts.empty() && !force) {
    StatusDetails d;
    d.present = true;
    std::string msg = "Apply failed with " + std::to_string(conflicts.size()) + " conflict" +
                      (conflicts.size() > 1 ? "s" : "") + ": ";
    for (std::size_t i = 0; i < conflicts.size(); ++i) {
      const auto& [m, f] = conflicts[i];
      d.causes.push_back({"FieldManagerConflict", "conflict with \"" + m + "\"", f});
      msg += (i ? ", " : "") + std::string("conflict with \"") + m + "\": " + f;
    }
    return status_response(409, "Conflict", msg, d);
  }
  json::value merged = *current;
  for (const auto& f : previously_mine)
    if (!fields.count(f))
      erase_at(merged.as_object(), f);
  json::object body = applied;
  body.erase("apiVersion");
  body.erase("kind");
  if (auto* m = body.if_contains("metadata"); m && m->is_object())
    for (const char* k : {"name", "namespace", "resourceVersion", "uid", "managedFields",
                          "creationTimestamp", "generation"})
      m->as_object().erase(k);
  if (call.sub == "status") {
    json::object only;
    if (auto* s = body.if_contains("status"))
      only["status"] = *s;
    body = std::move(only);
  }
  deep_merge(merged, body);
  json::array out;
  bool mine = false;
  for (auto& ev : managed) {
    auto& e = ev.as_object();
    FieldSet fs = from_fields_v1(e.contains("fieldsV1") ? e["fieldsV1"] : json::value());
    const bool same_sub =
        e.contains("subresource") ? e["subresource"] == json::value(call.sub) : call.sub.empty();
    if (e["manager"] == json::value(manager) && e["operation"] == "Apply" && same_sub) {
      mine = true;
      e["fieldsV1"] = to_fields_v1(fields);
      e["time"] = now_rfc3339();
      out.push_back(e);
      continue;
    }
    for (const auto& [m, f] : conflicts)
      fs.erase(f);
    if (fs.empty())
      continue;
    e["fieldsV1"] = to_fields_v1(fs);
    out.push_back(e);
  }
  if (!mine) {
    json::object e{
        {"manager", manager},    {"operation", "Apply"},     {"apiVersion", t.group_version()},
        {"time", now_rfc3339()}, {"fieldsType", "FieldsV1"}, {"fieldsV1", to_fields_v1(fields)}};
    if (!call.sub.empty())
      e["subresource"] = call.sub;
    out.push_back(std::move(e));
  }
  metadata_of(merged.as_object())["managedFields"] = std::move(out);
  return write_existing(call, *current, std::move(merged.as_object()), "Apply");
}

}  // namespace certmill::kubesim
