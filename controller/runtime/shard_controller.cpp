// The shard's effects modules built and registered with its runner, and the
// cache handlers routed to the modules whose state each change touches.
#include "controller/runtime/shard_controller.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "controller/runtime/backend_factories.hpp"

namespace certmill::controller {

ShardController::ShardController(unsigned index, reactor::Reactor& reactor, Caches& caches,
                                 k8s::Client& client, reactor::WorkerPool& pool, Metrics& metrics,
                                 k8s::QueueMetrics::Shard queue, const RuntimeOptions& options,
                                 AcmeShared acme)
    : shard_(index, reactor, caches, client, pool, metrics, queue, options),
      accounts_(shard_, acme.registrations),
      signers_(shard_),
      advisor_(shard_, issuances_, signers_),
      rate_gate_(shard_, acme.scheduler, acme.suffixes),
      signing_(shard_, issuances_, signers_, advisor_, rate_gate_),
      certificates_(shard_, issuances_, signing_, advisor_, rate_gate_),
      requests_(shard_, signers_, signing_, rate_gate_),
      issuers_(shard_, accounts_, signers_),
      shims_(shard_),
      series_(metrics.shard(index)) {
  add_backend_factories(signers_, shard_, accounts_);
  acme.scheduler.on_turns(
      index, [this](const std::string& certificate) { rate_gate_.grant(certificate); },
      [this](const std::string& certificate, std::optional<LateRenewal> late) {
        rate_gate_.projected(certificate, late);
      });
  Runner& runner = shard_.runner;
  shard_.kinds = Kinds{
      .certificate =
          runner.add_kind(metrics.controller("certificates"),
                          [this](const std::string& key) { return certificates_.sync(key); }),
      .issuer =
          runner.add_kind(metrics.controller("issuers"),
                          [this](const std::string& key) { return issuers_.sync(false, key); }),
      .cluster_issuer =
          runner.add_kind(metrics.controller("clusterissuers"),
                          [this](const std::string& key) { return issuers_.sync(true, key); }),
      .ingress =
          runner.add_kind(metrics.controller("ingress-shim"),
                          [this](const std::string& key) { return shims_.sync_ingress(key); }),
      .gateway =
          runner.add_kind(metrics.controller("gateway-shim"),
                          [this](const std::string& key) { return shims_.sync_gateway(key); }),
      .request = runner.add_kind(metrics.controller("certificaterequests"),
                                 [this](const std::string& key) { return requests_.sync(key); }),
  };
}

void ShardController::attach() {
  Caches& caches = shard_.caches;
  const unsigned index = shard_.index;
  // The informers run on shard 0, which tells an undecodable issuer why.
  if (index == 0) {
    caches.issuers.on_invalid(
        [this](const api::InvalidObject& invalid) { issuers_.undecodable(false, invalid); });
    caches.cluster_issuers.on_invalid(
        [this](const api::InvalidObject& invalid) { issuers_.undecodable(true, invalid); });
  }
  caches.certificates.partition(index).on_change(
      [this](const std::string& key, const CertificateView* before, const CertificateView* after) {
        shims_.certificate_changed(key, before, after);
        certificates_.changed(key, before, after);
      });
  caches.secrets.partition(index).on_change(
      [this](const std::string& key, const SecretView* before, const SecretView* after) {
        const SecretView& secret = after ? *after : *before;
        certificates_.secret_changed(key, secret);
        issuers_.secret_changed(secret);
      });
  caches.requests.partition(index).on_change(
      [this](const std::string& key, const RequestView* before, const RequestView* after) {
        certificates_.request_changed(before, after);
        requests_.changed(key, before, after);
      });
  caches.issuers.partition(index).on_change(
      [this](const std::string& key, const IssuerView* before, const IssuerView* after) {
        issuers_.changed(false, key, before, after);
        requests_.issuer_changed();
      });
  caches.cluster_issuers.partition(index).on_change(
      [this](const std::string& key, const IssuerView* before, const IssuerView* after) {
        issuers_.changed(true, key, before, after);
        requests_.issuer_changed();
      });
  caches.ingresses.partition(index).on_change(
      [this](const std::string& key, const api::Ingress* before, const api::Ingress* after) {
        shims_.ingress_changed(key, before, after);
      });
  if (caches.gateways) {
    caches.gateways->partition(index).on_change(
        [this](const std::string& key, const api::Gateway* before, const api::Gateway* after) {
          shims_.gateway_changed(key, before, after);
        });
  }
}

asio::awaitable<void> ShardController::run() {
  return shard_.runner.run([this] { return shard_.caches.synced(); });
}

asio::awaitable<void> ShardController::watch_loop_lag() {
  co_await asio::this_coro::throw_if_cancelled(false);
  asio::steady_timer timer(co_await asio::this_coro::executor);
  constexpr auto kPeriod = std::chrono::seconds(1);
  for (;;) {
    const auto due = std::chrono::steady_clock::now() + kPeriod;
    timer.expires_at(due);
    auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec)
      co_return;
    const auto late = std::chrono::steady_clock::now() - due;
    series_.loop_lag_seconds->Set(std::chrono::duration<double>(late).count());
  }
}

}  // namespace certmill::controller
