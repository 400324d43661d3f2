// The create verb (POST), also the first write of a server-side apply.
#include "tools/kube-sim/api.hpp"
#include "tools/kube-sim/api_call.hpp"
#include "tools/kube-sim/builtins.hpp"
#include "tools/kube-sim/meta.hpp"
#include "tools/kube-sim/objects_internal.hpp"
#include "tools/kube-sim/status.hpp"

namespace certmill::kubesim {

namespace json = boost::json;

bool Api::namespace_exists(std::string_view ns, bool* terminating) const {
  auto& s = const_cast<Store&>(store_);
  const json::object* o = s.find("/namespaces", "", ns);
  if (o && terminating)
    *terminating = !meta_string(*o, "deletionTimestamp").empty();
  return o != nullptr;
}

Response Api::create(Call& call, json::object object, bool from_apply) {
  call.verb = "create";
  const auto& t = *call.type;
  std::string kind = object.contains("kind") && object["kind"].is_string()
                         ? std::string(object["kind"].as_string())
                         : std::string();
  if (kind.empty())
    return bad_request("Object 'Kind' is missing in '" + json::serialize(object) + "'");
  auto& md = metadata_of(object);
  if (kind != t.kind) {
    const std::string name = meta_string(object, "name");
    StatusDetails d;
    d.present = true;
    d.name = name;
    d.group = t.group;
    d.kind = kind;
    std::string why = "Invalid value: \"" + kind + "\": must be " + t.kind;
    d.causes = {{"FieldValueInvalid", why, "kind"}};
    return status_response(
        422, "Invalid", qualified(kind, t.group) + " \"" + name + "\" is invalid: kind: " + why, d);
  }
  if (object.contains("apiVersion") && object["apiVersion"] != json::value(t.group_version()))
    return bad_request("the API version in the data (" + json::serialize(object["apiVersion"]) +
                       ") does not match the expected API version (" + t.group_version() + ")");
  if (t.namespaced) {
    std::string body_ns = meta_string(object, "namespace");
    if (!body_ns.empty() && body_ns != call.ns)
      return bad_request(
          "the namespace of the provided object does not match the namespace sent on the request");
    md["namespace"] = call.ns;
  } else {
    md.erase("namespace");
  }
  if (!call.name.empty())
    md["name"] = call.name;
  std::string name = meta_string(object, "name");
  if (name.empty()) {
    std::string gen = meta_string(object, "generateName");
    if (gen.empty())
      return invalid(t, "",
                     {{"FieldValueRequired", "Required value: name or generateName is required",
                       "metadata.name"}});
    do {
      name = gen + random_name_suffix();
    } while (store_.find(t.key(), t.namespaced ? call.ns : "", name));
    md["name"] = name;
  }
  if (Response r = check_new_object(call, object, nullptr); r.status != 0)
    return r;
  if (t.builtin)
    if (auto r = check_builtin(t, object, nullptr))
      return *r;
  if (t.namespaced) {
    bool terminating = false;
    if (!namespace_exists(call.ns, &terminating)) {
      StatusDetails d;
      d.present = true;
      d.name = call.ns;
      d.kind = "namespaces";
      return status_response(404, "NotFound", "namespaces \"" + call.ns + "\" not found", d);
    }
    if (terminating) {
      StatusDetails d;
      d.present = true;
      d.name = name;
      d.group = t.group;
      d.kind = t.plural;
      d.causes = {{"NamespaceTerminating", "namespace " + call.ns + " is being terminated",
                   "metadata.namespace"}};
      return status_response(403, "Forbidden",
                             qualified(t.plural, t.group) + " \"" + name +
                                 "\" is forbidden: unable to create new content in namespace " +
                                 call.ns + " because it is being terminated",
                             d);
    }
  }
  if (store_.find(t.key(), t.namespaced ? call.ns : "", name))
    return status_response(409, "AlreadyExists",
                           qualified(t.plural, t.group) + " \"" + name + "\" already exists",
                           details_for(t, name, true));
  const std::string now = now_rfc3339();
  // Validation may have rebuilt the object: take metadata afresh.
  auto& fresh = metadata_of(object);
  fresh["uid"] = new_uid();
  fresh["creationTimestamp"] = now;
  for (const char* k : {"deletionTimestamp", "deletionGracePeriodSeconds", "resourceVersion",
                        "generation", "managedFields", "selfLink"})
    fresh.erase(k);
  if (has_generation(t))
    fresh["generation"] = 1;
  if (!t.builtin && t.status_subresource)
    object.erase("status");
  if (t.builtin)
    default_builtin(t, object);
  FieldSet owned = leaf_fields(object);
  if (!owned.empty() && !call.user_agent.empty()) {
    json::object e{
        {"manager", manager_of(call)},     {"operation", from_apply ? "Apply" : "Update"},
        {"apiVersion", t.group_version()}, {"time", now},
        {"fieldsType", "FieldsV1"},        {"fieldsV1", to_fields_v1(owned)}};
    metadata_of(object)["managedFields"] = json::array{std::move(e)};
  }
  if (call.param("dryRun") == "All") {
    metadata_of(object)["resourceVersion"] = std::to_string(store_.rv());
    return json_response(201, t.builtin ? order_builtin(object) : sort_keys(object));
  }
  if (t.plural == "customresourcedefinitions")
    registry_.define(object);
  put(t, std::move(object), "ADDED");
  Response r = json_response(201, *store_.find(t.key(), t.namespaced ? call.ns : "", name));
  for (const auto& w : call.warnings)
    r.headers.emplace_back("Warning", w);
  return r;
}

}  // namespace certmill::kubesim
