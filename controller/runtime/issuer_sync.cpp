// An Issuer's or ClusterIssuer's reconcile: read its CA Secret by name when it
// has one, ask the readiness reconciler, and write the Ready condition only
// when it changes. The CA Secret is not watched, so a CA issuer is looked at
// again every --issuer-recheck. ACME issuers register their account
// (acme_issuer.cpp).
#include "controller/issuer_readiness.hpp"
#include "controller/runtime/shard_controller.hpp"
#include "controller/status_writes.hpp"
#include "k8s/api_error.hpp"
#include "k8s/modify.hpp"

namespace certmill::controller {

namespace {

template <class T>
asio::awaitable<Status> set_ready(k8s::Client& client, const IssuerView& issuer,
                                  const api::Condition& ready) {
  auto written = co_await k8s::modify<T>(
      client, issuer.namespace_, issuer.name,
      [&](T& object) {
        set_condition(object.status.conditions, ready);
        return true;
      },
      k8s::Target::Status);
  co_return written ? Status{} : Status{written.error()};
}

}  // namespace

asio::awaitable<Status> ShardController::sync_issuer(bool cluster, const std::string& key) {
  const IssuerView* cached = cluster ? caches_.cluster_issuers.partition(index_).find(key)
                                     : caches_.issuers.partition(index_).find(key);
  if (!cached)
    co_return Status{};
  const IssuerView issuer = *cached;
  metrics_.observe(issuer_series_[key], issuer);
  if (issuer.type == IssuerType::ACME)
    co_return co_await sync_acme_issuer(cluster, key, issuer);

  std::optional<api::Secret> ca_secret;
  if (issuer.type == IssuerType::CA && !issuer.ca_secret_name.empty()) {
    auto secret =
        co_await get_secret(issuer_secret_namespace(issuer, options_.cluster_resource_namespace),
                            issuer.ca_secret_name);
    if (!secret)
      co_return secret.error();
    ca_secret = std::move(*secret);
  }
  const Time now = this->now();
  IssuerDecision decision = reconcile_issuer({issuer, ca_secret ? &*ca_secret : nullptr, now},
                                             options_.cluster_resource_namespace);
  if (decision.ready) {
    const Status written =
        cluster ? co_await set_ready<api::ClusterIssuer>(client_, issuer, *decision.ready)
                : co_await set_ready<api::Issuer>(client_, issuer, *decision.ready);
    if (!written)
      co_return written;
  }
  const api::ObjectReference ref{"cert-manager.io/v1",
                                 cluster ? "ClusterIssuer" : "Issuer",
                                 issuer.name,
                                 issuer.namespace_,
                                 issuer.uid,
                                 {},
                                 {}};
  co_await record(issuer_events_, ref, decision.events);
  std::optional<Time> again = decision.requeue_at;
  if (issuer.type == IssuerType::CA) {
    const Time recheck =
        now + std::chrono::duration_cast<std::chrono::seconds>(options_.issuer_recheck);
    if (!again || recheck < *again)
      again = recheck;
  }
  if (again)
    runner_.enqueue(cluster ? kinds_.cluster_issuer : kinds_.issuer, key, *again);
  co_return Status{};
}

}  // namespace certmill::controller
