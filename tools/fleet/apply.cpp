// Manifests to POSTs: YAML to JSON, kind and namespace to a path.
#include "tools/fleet/apply.hpp"

#include <fstream>
#include <sstream>

#include <simdjson.h>

#include "k8s/yaml.hpp"

namespace certmill::fleet {

Result<std::string> collection_path(std::string_view kind, std::string_view ns) {
  const std::string in_ns = "/namespaces/" + std::string(ns);
  if (kind == "Namespace")
    return std::string("/api/v1/namespaces");
  if (kind == "CustomResourceDefinition")
    return std::string("/apis/apiextensions.k8s.io/v1/customresourcedefinitions");
  if (kind == "ClusterIssuer")
    return std::string("/apis/cert-manager.io/v1/clusterissuers");
  if (kind == "Secret")
    return "/api/v1" + in_ns + "/secrets";
  if (kind == "Issuer")
    return "/apis/cert-manager.io/v1" + in_ns + "/issuers";
  if (kind == "Certificate")
    return "/apis/cert-manager.io/v1" + in_ns + "/certificates";
  if (kind == "CertificateRequest")
    return "/apis/cert-manager.io/v1" + in_ns + "/certificaterequests";
  if (kind == "Order")
    return "/apis/acme.cert-manager.io/v1" + in_ns + "/orders";
  if (kind == "Challenge")
    return "/apis/acme.cert-manager.io/v1" + in_ns + "/challenges";
  if (kind == "Ingress")
    return "/apis/networking.k8s.io/v1" + in_ns + "/ingresses";
  if (kind == "Gateway")
    return "/apis/gateway.networking.k8s.io/v1" + in_ns + "/gateways";
  if (kind == "Service")
    return "/api/v1" + in_ns + "/services";
  if (kind == "ServiceAccount")
    return "/api/v1" + in_ns + "/serviceaccounts";
  if (kind == "APIService")
    return std::string("/apis/apiregistration.k8s.io/v1/apiservices");
  return Error(Errc::invalid_argument,
               "no collection known for kind \"" + std::string(kind) + "\"");
}

asio::awaitable<Result<unsigned>> apply_yaml(k8s::HttpClient& http, std::string yaml) {
  auto documents = k8s::yaml_documents_to_json(yaml);
  if (!documents)
    co_return documents.error();
  unsigned created = 0;
  simdjson::dom::parser parser;
  for (const std::string& json : *documents) {
    simdjson::dom::element doc;
    if (parser.parse(json).get(doc) != simdjson::SUCCESS)
      co_return Error(Errc::invalid_json, "a manifest document is not an object");
    std::string_view kind, ns;
    if (doc["kind"].get(kind) != simdjson::SUCCESS)
      co_return Error(Errc::missing_field, "a manifest document has no kind");
    (void)doc["metadata"]["namespace"].get(ns);
    auto path = collection_path(kind, ns);
    if (!path)
      co_return path.error();
    k8s::HttpRequest request;
    request.method = "POST";
    request.target = *path;
    request.body = json;
    request.content_type = "application/json";
    auto answer = co_await http.send(std::move(request), std::chrono::seconds(30));
    if (!answer)
      co_return answer.error();
    if (answer->status == 201) {
      ++created;
    } else if (answer->status != 409) {
      co_return Error(Errc::invalid_value, "creating a " + std::string(kind) + " failed with " +
                                               std::to_string(answer->status) + ": " +
                                               answer->body.substr(0, 300));
    }
  }
  co_return created;
}

asio::awaitable<Result<unsigned>> apply_directory(k8s::HttpClient& http,
                                                  std::filesystem::path dir) {
  std::error_code ec;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec)
    co_return Error(Errc::invalid_argument, "cannot read " + dir.string() + ": " + ec.message());
  unsigned created = 0;
  for (const auto& entry : it) {
    if (entry.path().extension() != ".yaml")
      continue;
    std::ifstream in(entry.path());
    std::ostringstream text;
    text << in.rdbuf();
    auto n = co_await apply_yaml(http, text.str());
    if (!n)
      co_return Error(n.error().code(), entry.path().string() + ": " + n.error().message());
    created += *n;
  }
  co_return created;
}

}  // namespace certmill::fleet
