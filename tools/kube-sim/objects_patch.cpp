// The patch verb: JSON merge, strategic merge (built-in types) and JSON patch;
// an apply patch goes on to objects_apply.cpp.
#include "tools/kube-sim/api.hpp"
#include "tools/kube-sim/api_call.hpp"
#include "tools/kube-sim/meta.hpp"
#include "tools/kube-sim/objects_internal.hpp"
#include "tools/kube-sim/patch.hpp"
#include "tools/kube-sim/status.hpp"

namespace certmill::kubesim {

namespace json = boost::json;

Response Api::patch(Call& call) {
  call.verb = "patch";
  const auto& t = *call.type;
  const std::string ct = base_type(call.request->content_type);
  if (ct == "application/apply-patch+yaml") {
    if (call.param("fieldManager").empty()) {
      StatusDetails d;
      d.present = true;
      d.group = "meta.k8s.io";
      d.kind = "PatchOptions";
      d.causes = {
          {"FieldValueRequired", "Required value: is required for apply patch", "fieldManager"}};
      return status_response(422, "Invalid",
                             "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required "
                             "value: is required for apply patch",
                             d);
    }
    return apply(call, store_.find(t.key(), t.namespaced ? call.ns : "", call.name));
  }
  if (call.has("force")) {
    StatusDetails d;
    d.present = true;
    d.group = "meta.k8s.io";
    d.kind = "PatchOptions";
    d.causes = {
        {"FieldValueForbidden", "Forbidden: may not be specified for non-apply patch", "force"}};
    return status_response(422, "Invalid",
                           "PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not "
                           "be specified for non-apply patch",
                           d);
  }
  const bool merge = ct == "application/merge-patch+json" ||
                     (t.builtin && ct == "application/strategic-merge-patch+json");
  if (!merge && ct != "application/json-patch+json")
    return status_response(415, "UnsupportedMediaType",
                           "the body of the request was in an unknown format - accepted media "
                           "types include: application/json-patch+json, "
                           "application/merge-patch+json, application/apply-patch+yaml");
  json::object* current = store_.find(t.key(), t.namespaced ? call.ns : "", call.name);
  if (!current)
    return not_found(t, call.name);
  json::error_code ec;
  json::value p = json::parse(call.request->body, ec);
  if (ec)
    return bad_request("error decoding patch: " + ec.message());
  json::value doc = *current;
  if (merge) {
    if (!p.is_object())
      return bad_request("error decoding patch: the patch is not a JSON object");
    merge_patch(doc, p);
  } else {
    std::string error;
    if (!p.is_array())
      return bad_request(
          "error decoding patch: json: cannot unmarshal object into Go value of "
          "type jsonpatch.Patch");
    if (!json_patch(doc, p.as_array(), error)) {
      StatusDetails d;
      d.present = true;
      return status_response(422, "Invalid", error, d);
    }
  }
  if (!doc.is_object())
    return bad_request("the patch did not produce an object");
  json::object patched = std::move(doc.as_object());
  if (meta_string(patched, "resourceVersion") != meta_string(*current, "resourceVersion") &&
      !meta_string(patched, "resourceVersion").empty())
    return conflict(t, call.name);
  if (Response r = check_new_object(call, patched, current); r.status != 0)
    return r;
  return write_existing(call, *current, std::move(patched), "Update");
}

}  // namespace certmill::kubesim
