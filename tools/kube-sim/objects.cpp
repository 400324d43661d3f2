// The object API's entry: checks the media types a request asks for and sends
// it to its verb (get, list, watch, create, update, patch, delete,
// deletecollection), each in its own objects_*.cpp.
#include "tools/kube-sim/api.hpp"
#include "tools/kube-sim/api_call.hpp"
#include "tools/kube-sim/objects_internal.hpp"
#include "tools/kube-sim/protobuf.hpp"
#include "tools/kube-sim/status.hpp"

namespace certmill::kubesim {

namespace json = boost::json;

Response Api::resource(Call& call) {
  const Request& req = *call.request;
  const auto& t = *call.type;
  const std::string accept = req.accept;
  if (!accept.empty() && accept.find("json") == std::string::npos &&
      accept.find("*/*") == std::string::npos) {
    return status_response(406, "NotAcceptable",
                           "only the following media types are accepted: application/json, "
                           "application/yaml, application/vnd.kubernetes.protobuf");
  }
  if (req.method == "POST" || req.method == "PUT") {
    std::string ct = base_type(req.content_type);
    const bool protobuf = ct == "application/vnd.kubernetes.protobuf" && protobuf_supported(t);
    if (!ct.empty() && ct != "application/json" && ct != "*/*" && ct != "application/yaml" &&
        !protobuf)
      return status_response(415, "UnsupportedMediaType",
                             "the body of the request was in an unknown format - accepted media "
                             "types include: application/json, application/yaml, "
                             "application/vnd.kubernetes.protobuf");
  }
  if (call.name.empty()) {
    if (req.method == "GET") {
      std::string w = call.param("watch");
      return (w == "1" || w == "true") ? watch(call) : list(call);
    }
    if (req.method == "POST" && (call.ns_in_path || !t.namespaced)) {
      json::object object;
      Response error;
      if (!parse_object(req.body, req.content_type, t, object, error))
        return error;
      return create(call, std::move(object), false);
    }
    if (req.method == "DELETE" && !(t.plural == "namespaces"))
      return remove_collection(call);
  } else {
    if (t.namespaced && !call.ns_in_path)
      return not_found_page();
    if (req.method == "GET")
      return get(call);
    if (req.method == "PUT")
      return update(call);
    if (req.method == "PATCH")
      return patch(call);
    if (req.method == "DELETE" && call.sub.empty())
      return remove(call);
  }
  return status_response(405, "MethodNotAllowed",
                         "the server does not allow this method on the requested resource");
}

}  // namespace certmill::kubesim
