// The fleet's objects, and creating them concurrently through one client.
#include "tools/fleet/fleet.hpp"

#include "k8s/api_error.hpp"
#include "tools/fleet/apply.hpp"
#include "tools/fleet/bounded.hpp"

namespace certmill::fleet {

std::string namespace_of(unsigned index, const FleetSpec& spec) {
  return "fleet-" + std::to_string(index % std::max(1u, spec.namespaces));
}

std::string bootstrap_yaml(const FleetSpec& spec) {
  std::string yaml;
  auto add_namespace = [&](const std::string& name) {
    yaml += "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + name + "\n---\n";
  };
  add_namespace(spec.cluster_resource_namespace);
  for (unsigned i = 0; i < std::max(1u, spec.namespaces); ++i)
    add_namespace("fleet-" + std::to_string(i));
  yaml += R"(apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata:
  name: selfsigned
spec:
  selfSigned: {}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: fleet-root-ca
  namespace: )" +
          spec.cluster_resource_namespace + R"(
spec:
  isCA: true
  commonName: certmill fleet root CA
  secretName: fleet-root-ca
  duration: 87600h
  privateKey:
    algorithm: ECDSA
    size: 256
  issuerRef:
    name: selfsigned
    kind: ClusterIssuer
---
apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata:
  name: fleet-ca
spec:
  ca:
    secretName: fleet-root-ca
)";
  return yaml;
}

api::Certificate fleet_certificate(unsigned index, const FleetSpec& spec) {
  api::Certificate crt;
  const std::string n = std::to_string(index);
  crt.metadata.name = "web-" + n;
  crt.metadata.namespace_ = namespace_of(index, spec);
  crt.spec.secret_name = "web-" + n + "-tls";
  crt.spec.dns_names = {"web-" + n + "." + crt.metadata.namespace_ + ".example.com"};
  crt.spec.issuer_ref = {"fleet-ca", "ClusterIssuer", "cert-manager.io"};
  crt.spec.private_key = api::CertificatePrivateKey{};
  crt.spec.private_key->algorithm = api::PrivateKeyAlgorithm::ECDSA;
  crt.spec.private_key->size = 256;
  return crt;
}

api::Ingress fleet_ingress(unsigned index, const FleetSpec& spec) {
  api::Ingress ingress;
  const std::string n = std::to_string(index);
  ingress.metadata.name = "shop-" + n;
  ingress.metadata.namespace_ = namespace_of(index, spec);
  ingress.metadata.annotations["cert-manager.io/cluster-issuer"] = "fleet-ca";
  ingress.metadata.annotations["cert-manager.io/private-key-algorithm"] = "ECDSA";
  const std::string host = "shop-" + n + "." + ingress.metadata.namespace_ + ".example.com";
  ingress.spec.tls.push_back({{host}, "shop-" + n + "-tls"});
  api::IngressRule rule;
  rule.host = host;
  ingress.spec.rules.push_back(rule);
  return ingress;
}

namespace {

// Creates one object; an existing one counts as created.
template <class T>
asio::awaitable<Status> create_one(k8s::Client& client, T object) {
  auto created = co_await client.create(object);
  if (!created && !k8s::is_conflict(created.error()))
    co_return created.error();
  co_return Status{};
}

}  // namespace

asio::awaitable<Status> create_fleet(k8s::Client& client, const FleetSpec& spec,
                                     std::function<void(unsigned)> progress) {
  auto bootstrap = co_await apply_yaml(client.http(), bootstrap_yaml(spec));
  if (!bootstrap)
    co_return bootstrap.error();

  co_return co_await for_each_bounded(
      spec.certificates + spec.ingresses, spec.concurrency,
      [&](unsigned i) {
        return i < spec.certificates
                   ? create_one(client, fleet_certificate(i, spec))
                   : create_one(client, fleet_ingress(i - spec.certificates, spec));
      },
      std::move(progress));
}

}  // namespace certmill::fleet
