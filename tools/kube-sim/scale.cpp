// The scale subresource of Deployments (autoscaling/v1 Scale), what `kubectl
// scale` reads and patches: README.md's "Replace cert-manager" scales
// cert-manager's controller to zero, and tests/deploy/readme_commands_test.sh
// runs that against kube-sim. Scale's spec.replicas is the Deployment's; its
// status comes from the Deployment's status, which no controller fills here.
#include "tools/kube-sim/api.hpp"
#include "tools/kube-sim/api_call.hpp"
#include "tools/kube-sim/meta.hpp"
#include "tools/kube-sim/objects_internal.hpp"
#include "tools/kube-sim/patch.hpp"
#include "tools/kube-sim/status.hpp"

namespace certmill::kubesim {

namespace json = boost::json;

namespace {

const json::object* object_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_object() ? &v->as_object() : nullptr;
}

std::int64_t replicas_of(const json::object* o) {
  const auto* r = o ? o->if_contains("replicas") : nullptr;
  return r && r->is_int64() ? r->as_int64() : 0;
}

json::object scale_of(const json::object& deployment) {
  const json::object* spec = object_at(deployment, "spec");
  // status.selector: the Deployment's matchLabels as a label selector string.
  std::string selector;
  if (const auto* s = spec ? object_at(*spec, "selector") : nullptr)
    if (const auto* labels = object_at(*s, "matchLabels"))
      for (const auto& [k, v] : *labels)
        if (v.is_string())
          selector +=
              (selector.empty() ? "" : ",") + std::string(k) + "=" + std::string(v.as_string());
  const json::object* md = object_at(deployment, "metadata");
  json::object scale_md;
  for (const char* k : {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"})
    if (const auto* v = md ? md->if_contains(k) : nullptr)
      scale_md[k] = *v;
  // A Deployment without spec.replicas runs one, as the API server defaults it.
  const auto* r = spec ? spec->if_contains("replicas") : nullptr;
  const std::int64_t replicas = r && r->is_int64() ? r->as_int64() : 1;
  return json::object{
      {"kind", "Scale"},
      {"apiVersion", "autoscaling/v1"},
      {"metadata", std::move(scale_md)},
      {"spec", json::object{{"replicas", replicas}}},
      {"status", json::object{{"replicas", replicas_of(object_at(deployment, "status"))},
                              {"selector", selector}}}};
}

}  // namespace

Response Api::scale(Call& call) {
  const auto& t = *call.type;
  const std::string& method = call.request->method;
  call.verb = method == "GET"     ? "get"
              : method == "PUT"   ? "update"
              : method == "PATCH" ? "patch"
                                  : "";
  if (call.verb.empty())
    return status_response(405, "MethodNotAllowed",
                           "the server does not allow this method on the requested resource");
  json::object* current = store_.find(t.key(), call.ns, call.name);
  if (!current)
    return not_found(t, call.name);
  if (method == "GET")
    return json_response(200, scale_of(*current));

  json::error_code ec;
  const json::value body = json::parse(call.request->body, ec);
  if (ec || !body.is_object())
    return bad_request("error decoding the Scale: the body is not a JSON object");
  json::value wanted = scale_of(*current);
  if (method == "PATCH") {
    const std::string ct = base_type(call.request->content_type);
    if (ct != "application/merge-patch+json" && ct != "application/strategic-merge-patch+json")
      return status_response(415, "UnsupportedMediaType",
                             "the body of the request was in an unknown format - accepted media "
                             "types include: application/merge-patch+json, "
                             "application/strategic-merge-patch+json");
    merge_patch(wanted, body);
  } else {
    wanted = body;
  }
  const json::object* spec = object_at(wanted.as_object(), "spec");
  const auto* r = spec ? spec->if_contains("replicas") : nullptr;
  if (!r || !r->is_int64() || r->as_int64() < 0)
    return invalid(t, call.name,
                   {{"FieldValueInvalid", "Invalid value: must be greater than or equal to 0",
                     "spec.replicas"}});

  json::object updated = *current;
  if (!updated["spec"].is_object())
    updated["spec"] = json::object{};
  updated["spec"].as_object()["replicas"] = r->as_int64();
  // The write is the Deployment's own: its generation moves, its status stays.
  call.sub.clear();
  Response written = write_existing(call, *current, std::move(updated), "Update");
  if (written.status >= 400)
    return written;
  return json_response(200, scale_of(*store_.find(t.key(), call.ns, call.name)));
}

}  // namespace certmill::kubesim
