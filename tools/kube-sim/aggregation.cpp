// The API aggregation layer as kube-apiserver's is seen from outside: a
// request under /apis/GROUP/VERSION that an APIService named VERSION.GROUP
// claims is forwarded to the APIService's Service, after authentication and
// RBAC as any request. kube-sim has no kube-proxy: the Service's clusterIP is
// where the backend listens (a test sets it to 127.0.0.1) and the
// APIService's service.port its port. What is forwarded is server.cpp's to
// send; this only finds where.
#include "core/base64.hpp"
#include "tools/kube-sim/api.hpp"
#include "tools/kube-sim/api_call.hpp"
#include "tools/kube-sim/status.hpp"

namespace certmill::kubesim {
namespace {

namespace json = boost::json;

std::string text(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

const json::object* member(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value ? value->if_object() : nullptr;
}

Response unavailable(const std::string& why) {
  return status_response(503, "ServiceUnavailable", why);
}

}  // namespace

std::optional<Response> Api::aggregated(const Target& target, Call& call) {
  const auto& s = target.segments;
  if (s.size() < 3 || s[0] != "apis")
    return std::nullopt;
  const json::object* service =
      store_.find("apiregistration.k8s.io/apiservices", "", s[2] + "." + s[1]);
  const json::object* spec = service ? member(*service, "spec") : nullptr;
  const json::object* backend = spec ? member(*spec, "service") : nullptr;
  if (!backend)
    return std::nullopt;  // served here: a local APIService, or none
  const std::string ns = text(*backend, "namespace");
  const std::string name = text(*backend, "name");
  const json::object* svc = store_.find("/services", ns, name);
  const json::object* svc_spec = svc ? member(*svc, "spec") : nullptr;
  const std::string cluster_ip = svc_spec ? text(*svc_spec, "clusterIP") : std::string();
  if (cluster_ip.empty() || cluster_ip == "None")
    return unavailable("service " + ns + "/" + name + " has no cluster IP");
  std::int64_t port = 443;
  if (const json::value* given = backend->if_contains("port"); given && given->is_int64())
    port = given->as_int64();
  ProxyTarget proxy{.origin = "https://" + cluster_ip + ":" + std::to_string(port),
                    .ca_pem = {},
                    .insecure = false,
                    .user = call.user.name,
                    .groups = call.user.groups};
  if (const json::value* skip = spec->if_contains("insecureSkipTLSVerify"); skip && skip->is_bool())
    proxy.insecure = skip->as_bool();
  if (auto ca = base64_decode(text(*spec, "caBundle")); ca)
    proxy.ca_pem = std::move(*ca);
  call.verb = "proxy";
  Response response;
  response.proxy = std::move(proxy);
  return response;
}

}  // namespace certmill::kubesim
