// The fleet's objects, and creating them concurrently through one client.
#include "tools/fleet/fleet.hpp"

#include "k8s/api_error.hpp"
#include "reactor/task_group.hpp"
#include "tools/fleet/apply.hpp"

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

  // A fixed number of workers, each taking the next index: bounded in
  // flight, no per-object coroutine pile-up.
  const unsigned total = spec.certificates + spec.ingresses;
  unsigned next = 0, done = 0;
  Status failure;
  auto worker = [&]() -> asio::awaitable<void> {
    while (failure && next < total) {
      const unsigned i = next++;
      Status s = i < spec.certificates
                     ? co_await create_one(client, fleet_certificate(i, spec))
                     : co_await create_one(client, fleet_ingress(i - spec.certificates, spec));
      if (!s)
        failure = s;
      ++done;
      if (progress)
        progress(done);
    }
  };
  reactor::TaskGroup workers(co_await asio::this_coro::executor);
  for (unsigned w = 0; w < std::max(1u, spec.concurrency); ++w)
    workers.spawn(worker);
  co_await workers.wait_empty();
  co_return failure;
}

}  // namespace certmill::fleet
