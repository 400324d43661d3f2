// The controller's informers: every kind it reads, listed and watched once,
// kept per shard as the compact views the reconcilers read. Namespaced kinds
// are routed by namespace, so one shard holds a namespace's Certificates,
// Secrets, requests, Issuers, Ingresses and Gateways together and every
// reconcile reads only its own shard; ClusterIssuers are few and kept on
// every shard.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "controller/certificate_view.hpp"
#include "controller/issuer_view.hpp"
#include "controller/request_view.hpp"
#include "controller/secret_view.hpp"
#include "core/api/gateway.hpp"
#include "core/api/ingress.hpp"
#include "core/api/issuer.hpp"
#include "k8s/informer.hpp"
#include "k8s/metrics.hpp"

namespace certmill::controller {

namespace asio = boost::asio;

struct CacheOptions {
  std::string namespace_;  // empty: every namespace
  bool gateways = false;   // the Gateway API is installed and wanted
  // Annotations the shims read beyond cert-manager.io/* and
  // acme.cert-manager.io/* (--auto-certificate-annotations,
  // --extra-certificate-annotations); the Controller fills them in from
  // RuntimeOptions::shim.
  std::vector<std::string> shim_annotations = {};
};

// The label cert-manager puts on the Secrets it writes; only those are
// cached (DESIGN.md: never every Secret of the cluster).
inline constexpr const char* kManagedSecretLabel = "controller.cert-manager.io/fao";

// What ingress-shim and gateway-shim read, and nothing more: annotations of
// interest (cert-manager's and the keys `kept` names), TLS entries and
// listeners. Rules, backends and status stay out.
api::Ingress project_ingress(api::Ingress&& ingress, const std::vector<std::string>& kept);
api::Gateway project_gateway(api::Gateway&& gateway, const std::vector<std::string>& kept);

struct Caches {
  Caches(reactor::Reactor& reactor, const CacheOptions& options);

  // Starts every informer as a service on shard 0's client; the partitions
  // live on their own shards. Spreading the informers over the shards was
  // measured slower with bench_fleet: a Certificate's events then arrive
  // through different threads and its kinds' caches drift apart, costing
  // re-reads.
  void start(reactor::Reactor& reactor, k8s::Client& client);
  bool synced() const;
  void register_metrics(k8s::InformerMetrics& metrics) const;

  const CacheOptions options;
  k8s::Informer<api::Certificate, CertificateView> certificates;
  k8s::Informer<api::Secret, SecretView> secrets;
  k8s::Informer<api::CertificateRequest, RequestView> requests;
  k8s::Informer<api::Issuer, IssuerView> issuers;
  k8s::Informer<api::ClusterIssuer, IssuerView> cluster_issuers;
  k8s::Informer<api::Ingress> ingresses;
  std::unique_ptr<k8s::Informer<api::Gateway>> gateways;
};

// The shard that owns a namespaced object's key, as the caches route it.
unsigned owner_shard(std::string_view key, unsigned shards);

}  // namespace certmill::controller
