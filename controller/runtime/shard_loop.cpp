// The shard's work loop and the cache handlers that feed it: which changes
// wake which reconciles, and the indexes that make each lookup local.
#include <random>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "controller/runtime/shard_controller.hpp"
#include "core/log.hpp"

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
      queue_metrics_(queue),
      options_(options),
      // client-go's 4096 remembered events, split over the shards.
      events_(client, reactor.clock(), "cert-manager-certificates", 4096 / reactor.size()),
      issuer_events_(client, reactor.clock(), "cert-manager-issuers", 1024 / reactor.size()),
      wake_(reactor.shard(index).executor()),
      certificate_sync_(metrics.controller("certificates")),
      issuer_sync_(metrics.controller("issuers")),
      cluster_issuer_sync_(metrics.controller("clusterissuers")),
      ingress_sync_(metrics.controller("ingress-shim")),
      gateway_sync_(metrics.controller("gateway-shim")),
      shard_series_(metrics.shard(index)) {}

ShardController::~ShardController() = default;

Time ShardController::now() const {
  return std::chrono::floor<std::chrono::seconds>(reactor_.clock().now());
}

Time ShardController::expectation_deadline() const {
  return now() + std::chrono::duration_cast<std::chrono::seconds>(options_.expectation_timeout);
}

void ShardController::enqueue(Kind kind, const std::string& key,
                              std::optional<reactor::TimePoint> at) {
  std::string item;
  item.reserve(key.size() + 1);
  item.push_back(static_cast<char>(kind));
  item += key;
  queue_.add(item, at.value_or(reactor_.clock().now()));
  wake_.notify_all();
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
        shim_owner_changed(Kind::Ingress, key, before, after);
      });
  if (caches_.gateways) {
    caches_.gateways->partition(index_).on_change(
        [this](const std::string& key, const api::Gateway* before, const api::Gateway* after) {
          shim_owner_changed(Kind::Gateway, key, before, after);
        });
  }
}

void ShardController::requeue_claimants(const std::string& secret) {
  const std::string ns = namespace_of(secret);
  for (const auto& name : claims_.claimants(secret))
    enqueue(Kind::Certificate, ns + "/" + name);
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
    if (auto shim = shim_by_uid_.find(owned->owner_uid); shim != shim_by_uid_.end()) {
      queue_.add(shim->second, reactor_.clock().now());
      wake_.notify_all();
    }
  }
  if (!after) {
    end_issuance(key);
    if (waiting_to_issue_.erase(key))
      std::erase(issue_waiters_, key);
    expected_.erase(key);
    renewal_advice_.erase(key);
    metrics_.forget_certificate(key);
    queue_.forget(std::string(1, static_cast<char>(Kind::Certificate)) + key);
    return;
  }
  enqueue(Kind::Certificate, key);
}

void ShardController::secret_changed(const std::string& key, const SecretView* before,
                                     const SecretView* after) {
  const SecretView* secret = after ? after : before;
  requeue_claimants(key);
  // A Secret annotated for a Certificate that names another Secret still
  // matters to it: the reconciler reports the mismatch.
  if (secret->certificate_name)
    enqueue(Kind::Certificate, secret->namespace_ + "/" + *secret->certificate_name);
  // A CA issuer's Secret, when certmill issued it (a bootstrapped root CA),
  // is cached: its issuer needs no recheck period to notice it.
  const auto& issuers = caches_.issuers.partition(index_);
  for (const IssuerView& issuer : issuers.objects()) {
    if (issuer.namespace_ == secret->namespace_ && issuer.ca_secret_name == secret->name)
      enqueue(Kind::Issuer, issuers.key_of(issuer));
  }
  if (secret->namespace_ == options_.cluster_resource_namespace) {
    const auto& cluster_issuers = caches_.cluster_issuers.partition(index_);
    for (const IssuerView& issuer : cluster_issuers.objects()) {
      if (issuer.ca_secret_name == secret->name)
        enqueue(Kind::ClusterIssuer, cluster_issuers.key_of(issuer));
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
    enqueue(Kind::Certificate, request->namespace_ + "/" + *owner);
}

void ShardController::issuer_changed(bool cluster, const std::string& key, const IssuerView* before,
                                     const IssuerView* after) {
  // A ClusterIssuer is cached on every shard; the shard of the cluster
  // resource namespace reconciles it, where its CA Secret is cached too.
  const bool owner = !cluster || cluster_issuer_shard() == index_;
  if (owner) {
    if (after) {
      enqueue(cluster ? Kind::ClusterIssuer : Kind::Issuer, key);
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
      enqueue(Kind::Certificate, certificates.key_of(crt));
  }
}

template <class T>
void ShardController::shim_owner_changed(Kind kind, const std::string& key, const T* before,
                                         const T* after) {
  const std::string item = static_cast<char>(kind) + key;
  if (before)
    shim_by_uid_.erase(uid_key(before->metadata.uid));
  if (!after) {
    queue_.forget(item);
    return;
  }
  shim_by_uid_[uid_key(after->metadata.uid)] = item;
  enqueue(kind, key);
}

asio::awaitable<void> ShardController::run() {
  using namespace asio::experimental::awaitable_operators;
  co_await asio::this_coro::throw_if_cancelled(false);
  // Decisions on a partial cache are wrong (an issuer not listed yet is
  // "not found"): wait until every informer holds its full list. The
  // handlers have queued every object meanwhile.
  asio::steady_timer poll(shard_.executor());
  while (!caches_.synced()) {
    poll.expires_after(std::chrono::milliseconds(20));
    auto [ec] = co_await poll.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec)
      co_return;
  }
  for (;;) {
    for (unsigned popped = 0;; ++popped) {
      if (in_flight_ >= options_.max_in_flight)
        break;
      // A reconcile that ends without waiting (a Certificate that finds no
      // issuance slot) frees its place at once, so without a yield one pass
      // would run the whole queue in one go: 10,000 first reconciles held
      // this shard for 180 ms, and what each finished one leaves for the
      // loop to free piled up meanwhile (6 MiB, bench/RESULTS.md).
      if (popped == options_.max_in_flight) {
        co_await asio::post(shard_.executor(), asio::use_awaitable);
        popped = 0;
      }
      Duration waited{};
      auto item = queue_.pop(reactor_.clock().now(), &waited);
      if (!item)
        break;
      if (queue_metrics_.wait)
        queue_metrics_.wait->Observe(std::chrono::duration<double>(waited).count());
      ++in_flight_;
      const bool started = shard_.tasks().spawn(
          [this, item = std::move(*item)]() mutable { return run_item(std::move(item)); });
      if (!started) {
        --in_flight_;
        co_return;  // shutting down: no new work
      }
    }
    if (queue_metrics_.depth)
      queue_metrics_.depth->Set(static_cast<double>(queue_.queued()));
    const auto next = queue_.next_due();
    if (next && in_flight_ < options_.max_in_flight) {
      co_await (wake_.wait() || reactor_.clock().sleep_until(*next));
    } else {
      co_await wake_.wait();
    }
    const auto state = co_await asio::this_coro::cancellation_state;
    if (state.cancelled() != asio::cancellation_type::none)
      co_return;
  }
}

asio::awaitable<void> ShardController::run_item(std::string item) {
  const Kind kind = static_cast<Kind>(item.front());
  const std::string key = item.substr(1);
  Status status = co_await sync(kind, key);
  --in_flight_;
  if (status) {
    queue_.done(item);
  } else {
    static thread_local std::mt19937_64 random(std::random_device{}());
    const Duration delay = queue_.failed(item, reactor_.clock().now(),
                                         std::uniform_real_distribution<double>(0, 1)(random));
    log::warn("reconcile failed; retrying", {{"object", key},
                                             {"error", status.error().message()},
                                             {"retry_in", format_duration(delay)}});
  }
  wake_.notify_all();
}

asio::awaitable<Status> ShardController::sync(Kind kind, const std::string& key) {
  ControllerSeries* series = nullptr;
  switch (kind) {
    case Kind::Certificate:
      series = &certificate_sync_;
      break;
    case Kind::Issuer:
      series = &issuer_sync_;
      break;
    case Kind::ClusterIssuer:
      series = &cluster_issuer_sync_;
      break;
    case Kind::Ingress:
      series = &ingress_sync_;
      break;
    case Kind::Gateway:
      series = &gateway_sync_;
      break;
  }
  series->calls->Increment();
  const auto started = std::chrono::steady_clock::now();
  Status status;
  switch (kind) {
    case Kind::Certificate:
      status = co_await sync_certificate(key);
      break;
    case Kind::Issuer:
      status = co_await sync_issuer(false, key);
      break;
    case Kind::ClusterIssuer:
      status = co_await sync_issuer(true, key);
      break;
    case Kind::Ingress:
      status = co_await sync_ingress(key);
      break;
    case Kind::Gateway:
      status = co_await sync_gateway(key);
      break;
  }
  series->latency->Observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  if (!status)
    series->errors->Increment();
  co_return status;
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
