// Informer options and projections for each kind the controller reads.
#include "controller/runtime/caches.hpp"

#include <algorithm>
#include <string_view>

namespace certmill::controller {

namespace {

k8s::InformerOptions namespaced(const CacheOptions& options, std::string label_selector = {}) {
  k8s::InformerOptions o;
  o.namespace_ = options.namespace_;
  o.label_selector = std::move(label_selector);
  o.routing = k8s::Routing::ByNamespace;
  // Smaller pages bound the memory a list takes while it is decoded (the
  // page's text, its parse and its objects), at a few more requests.
  o.page_size = 100;
  return o;
}

k8s::InformerOptions everywhere() {
  k8s::InformerOptions o;
  o.routing = k8s::Routing::Everywhere;
  return o;
}

bool shim_annotation(const std::string& key, const std::vector<std::string>& kept) {
  return key.starts_with("cert-manager.io/") || key.starts_with("acme.cert-manager.io/") ||
         std::find(kept.begin(), kept.end(), key) != kept.end();
}

void trim_meta(api::ObjectMeta& meta, const std::vector<std::string>& kept) {
  std::erase_if(meta.annotations, [&](const auto& kv) { return !shim_annotation(kv.first, kept); });
  meta.labels.clear();
  meta.finalizers.clear();
}

}  // namespace

api::Ingress project_ingress(api::Ingress&& ingress, const std::vector<std::string>& kept) {
  trim_meta(ingress.metadata, kept);
  ingress.spec.rules.clear();
  ingress.spec.default_backend.reset();
  return std::move(ingress);
}

api::Gateway project_gateway(api::Gateway&& gateway, const std::vector<std::string>& kept) {
  trim_meta(gateway.metadata, kept);
  for (auto& listener : gateway.spec.listeners)
    listener.allowed_routes = {};
  return std::move(gateway);
}

unsigned owner_shard(std::string_view key, unsigned shards) {
  return k8s::shard_for(k8s::Routing::ByNamespace, key, shards);
}

Caches::Caches(reactor::Reactor& reactor, const CacheOptions& options_in)
    : options(options_in),
      certificates(reactor, namespaced(options), project_certificate),
      secrets(reactor, namespaced(options, std::string(kManagedSecretLabel) + "=true"),
              project_secret),
      requests(reactor, namespaced(options), project_request),
      issuers(reactor, namespaced(options), project_issuer),
      cluster_issuers(reactor, everywhere(), project_cluster_issuer),
      ingresses(reactor, namespaced(options), [this](api::Ingress&& ingress) {
        return project_ingress(std::move(ingress), options.shim_annotations);
      }) {
  if (options.gateways)
    gateways = std::make_unique<k8s::Informer<api::Gateway>>(
        reactor, namespaced(options), [this](api::Gateway&& gateway) {
          return project_gateway(std::move(gateway), options.shim_annotations);
        });
}

void Caches::start(reactor::Reactor& reactor, k8s::Client& client) {
  reactor::Shard& home = reactor.shard(0);
  auto run = [&](auto& informer) {
    reactor.spawn_service(
        home, [&informer, &client]() -> asio::awaitable<void> { co_await informer.run(client); });
  };
  run(certificates);
  run(secrets);
  run(requests);
  run(issuers);
  run(cluster_issuers);
  run(ingresses);
  if (gateways)
    run(*gateways);
}

bool Caches::synced() const {
  return certificates.synced() && secrets.synced() && requests.synced() && issuers.synced() &&
         cluster_issuers.synced() && ingresses.synced() && (!gateways || gateways->synced());
}

void Caches::register_metrics(k8s::InformerMetrics& metrics) const {
  metrics.add("certificates", certificates.stats());
  metrics.add("secrets", secrets.stats());
  metrics.add("certificaterequests", requests.stats());
  metrics.add("issuers", issuers.stats());
  metrics.add("clusterissuers", cluster_issuers.stats());
  metrics.add("ingresses", ingresses.stats());
  if (gateways)
    metrics.add("gateways", gateways->stats());
}

}  // namespace certmill::controller
