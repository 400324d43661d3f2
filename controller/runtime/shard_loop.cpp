// The shard's kinds registered with its runner, and the cache handlers that
// feed it: which changes wake which reconciles, and the indexes that make
// each lookup local.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "controller/runtime/shard_controller.hpp"

namespace certmill::controller {

namespace {

std::string namespace_of(const std::string& key) {
  const auto slash = key.find('/');
  return slash == std::string::npos ? std::string() : key.substr(0, slash);
}

// The issuer a Certificate names, as "Kind|ns/name" or "Kind|name".
bool names_issuer(const CertificateView& crt, bool cluster, const IssuerView& issuer) {
  const api::IssuerRef ref = with_defaults(crt.issuer_ref);
  if (ref.group != "cert-manager.io" || ref.name != issuer.name)
    return false;
  return cluster ? ref.kind == "ClusterIssuer"
                 : ref.kind == "Issuer" && crt.namespace_ == issuer.namespace_;
}

}  // namespace

ShardController::ShardController(unsigned index, reactor::Reactor& reactor, Caches& caches,
                                 k8s::Client& client, reactor::WorkerPool& pool, Metrics& metrics,
                                 k8s::QueueMetrics::Shard queue, const RuntimeOptions& options)
    : index_(index),
      reactor_(reactor),
      shard_(reactor.shard(index)),
      caches_(caches),
      client_(client),
      pool_(pool),
      metrics_(metrics),
      options_(options),
      // client-go's 4096 remembered events, split over the shards.
      events_(client, reactor.clock(), "cert-manager-certificates", 4096 / reactor.size()),
      issuer_events_(client, reactor.clock(), "cert-manager-issuers", 1024 / reactor.size()),
      runner_(shard_, reactor.clock(), options.max_in_flight, queue),
      kinds_{
          .certificate =
              runner_.add_kind(metrics.controller("certificates"),
                               [this](const std::string& key) { return sync_certificate(key); }),
          .issuer =
              runner_.add_kind(metrics.controller("issuers"),
                               [this](const std::string& key) { return sync_issuer(false, key); }),
          .cluster_issuer =
              runner_.add_kind(metrics.controller("clusterissuers"),
                               [this](const std::string& key) { return sync_issuer(true, key); }),
          .ingress = runner_.add_kind(metrics.controller("ingress-shim"),
                                      [this](const std::string& key) { return sync_ingress(key); }),
          .gateway = runner_.add_kind(metrics.controller("gateway-shim"),
                                      [this](const std::string& key) { return sync_gateway(key); }),
      },
      shard_series_(metrics.shard(index)),
      slots_(options.max_issuances) {}

ShardController::~ShardController() = default;

Time ShardController::now() const {
  return std::chrono::floor<std::chrono::seconds>(reactor_.clock().now());
}

Time ShardController::expectation_deadline() const {
  return now() + std::chrono::duration_cast<std::chrono::seconds>(options_.expectation_timeout);
}

void ShardController::attach() {
  caches_.certificates.partition(index_).on_change(
      [this](const std::string& key, const CertificateView* before, const CertificateView* after) {
        certificate_changed(key, before, after);
      });
  caches_.secrets.partition(index_).on_change(
      [this](const std::string& key, const SecretView* before, const SecretView* after) {
        secret_changed(key, before, after);
      });
  caches_.requests.partition(index_).on_change(
      [this](const std::string&, const RequestView* before, const RequestView* after) {
        request_changed(before, after);
      });
  caches_.issuers.partition(index_).on_change(
      [this](const std::string& key, const IssuerView* before, const IssuerView* after) {
        issuer_changed(false, key, before, after);
      });
  caches_.cluster_issuers.partition(index_).on_change(
      [this](const std::string& key, const IssuerView* before, const IssuerView* after) {
        issuer_changed(true, key, before, after);
      });
  caches_.ingresses.partition(index_).on_change(
      [this](const std::string& key, const api::Ingress* before, const api::Ingress* after) {
        shim_owner_changed(kinds_.ingress, key, before, after);
      });
  if (caches_.gateways) {
    caches_.gateways->partition(index_).on_change(
        [this](const std::string& key, const api::Gateway* before, const api::Gateway* after) {
          shim_owner_changed(kinds_.gateway, key, before, after);
        });
  }
}

void ShardController::requeue_claimants(const std::string& secret) {
  const std::string ns = namespace_of(secret);
  for (const auto& name : claims_.claimants(secret))
    runner_.enqueue(kinds_.certificate, ns + "/" + name);
}

void ShardController::certificate_changed(const std::string& key, const CertificateView* before,
                                          const CertificateView* after) {
  // Certificates whose Secret gained or lost a claimant may have become, or
  // stopped being, duplicates.
  for (const std::string& secret : claims_.update(before, after))
    requeue_claimants(secret);
  if (before) {
    owners_.drop_certificate(before->uid);
    if (!before->owner_uid.empty()) {
      auto owned = certificates_by_owner_.find(before->owner_uid);
      if (owned != certificates_by_owner_.end()) {
        owned->second.erase(key);
        if (owned->second.empty())
          certificates_by_owner_.erase(owned);
      }
    }
  }
  if (after) {
    owners_.add_certificate(after->uid, after->name);
    if (!after->owner_uid.empty())
      certificates_by_owner_[after->owner_uid].insert(key);
  }
  // A Certificate an Ingress or Gateway made was edited or deleted: the shim
  // puts it back.
  const CertificateView* owned = after ? after : before;
  if (!owned->owner_uid.empty() && (!before || !after || before->spec_hash != after->spec_hash)) {
    if (auto shim = shim_by_uid_.find(owned->owner_uid); shim != shim_by_uid_.end())
      runner_.enqueue(shim->second.kind, shim->second.key);
  }
  if (!after) {
    if (auto next = slots_.forget(key))
      runner_.enqueue(kinds_.certificate, *next);
    issuances_.forget(key);
    metrics_.forget_certificate(key);
    runner_.forget(kinds_.certificate, key);
    return;
  }
  runner_.enqueue(kinds_.certificate, key);
}

void ShardController::secret_changed(const std::string& key, const SecretView* before,
                                     const SecretView* after) {
  const SecretView* secret = after ? after : before;
  requeue_claimants(key);
  // A Secret annotated for a Certificate that names another Secret still
  // matters to it: the reconciler reports the mismatch.
  if (secret->certificate_name)
    runner_.enqueue(kinds_.certificate, secret->namespace_ + "/" + *secret->certificate_name);
  // A CA issuer's Secret, when certmill issued it (a bootstrapped root CA),
  // is cached: its issuer needs no recheck period to notice it.
  const auto& issuers = caches_.issuers.partition(index_);
  for (const IssuerView& issuer : issuers.objects()) {
    if (issuer.namespace_ == secret->namespace_ && issuer.ca_secret_name == secret->name)
      runner_.enqueue(kinds_.issuer, issuers.key_of(issuer));
  }
  if (secret->namespace_ == options_.cluster_resource_namespace) {
    const auto& cluster_issuers = caches_.cluster_issuers.partition(index_);
    for (const IssuerView& issuer : cluster_issuers.objects()) {
      if (issuer.ca_secret_name == secret->name)
        runner_.enqueue(kinds_.cluster_issuer, cluster_issuers.key_of(issuer));
    }
  }
}

unsigned ShardController::cluster_issuer_shard() const {
  return owner_shard(options_.cluster_resource_namespace + "/", reactor_.size());
}

void ShardController::request_changed(const RequestView* before, const RequestView* after) {
  if (before && !before->owner_uid.empty())
    owners_.drop_request(before->owner_uid, before->name);
  if (after && !after->owner_uid.empty())
    owners_.add_request(after->owner_uid, after->name);
  const RequestView* request = after ? after : before;
  if (const std::string* owner = owners_.certificate(request->owner_uid))
    runner_.enqueue(kinds_.certificate, request->namespace_ + "/" + *owner);
}

void ShardController::issuer_changed(bool cluster, const std::string& key, const IssuerView* before,
                                     const IssuerView* after) {
  // A ClusterIssuer is cached on every shard; the shard of the cluster
  // resource namespace reconciles it, where its CA Secret is cached too.
  const bool owner = !cluster || cluster_issuer_shard() == index_;
  if (owner) {
    if (after) {
      runner_.enqueue(cluster ? kinds_.cluster_issuer : kinds_.issuer, key);
    } else {
      issuer_series_.erase(key);
    }
  }
  const bool readiness_changed = !before || !after || before->ready.status != after->ready.status ||
                                 before->ready.reason != after->ready.reason ||
                                 before->type != after->type ||
                                 before->generation != after->generation;
  if (!readiness_changed)
    return;
  // A signer (an ACME account session) outlives status writes that change
  // nothing about the issuer; a new spec or readiness opens it anew.
  signers_.erase((cluster ? "K|" : "I|") + key);
  // Certificates waiting on this issuer look again.
  const IssuerView& issuer = after ? *after : *before;
  const auto& certificates = caches_.certificates.partition(index_);
  for (const CertificateView& crt : certificates.objects()) {
    if (names_issuer(crt, cluster, issuer))
      runner_.enqueue(kinds_.certificate, certificates.key_of(crt));
  }
}

template <class T>
void ShardController::shim_owner_changed(Runner::Kind kind, const std::string& key, const T* before,
                                         const T* after) {
  if (before)
    shim_by_uid_.erase(uid_key(before->metadata.uid));
  if (!after) {
    runner_.forget(kind, key);
    return;
  }
  shim_by_uid_[uid_key(after->metadata.uid)] = Queued{kind, key};
  runner_.enqueue(kind, key);
}

asio::awaitable<void> ShardController::run() {
  return runner_.run([this] { return caches_.synced(); });
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
    shard_series_.loop_lag_seconds->Set(std::chrono::duration<double>(late).count());
  }
}

}  // namespace certmill::controller
