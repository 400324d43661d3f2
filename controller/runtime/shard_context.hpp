// What every effects module on a shard works with: the shard's caches and
// client, the worker pool, the clock, the options, the runner and the kinds
// registered with it, and the two writes every module makes the same way
// (Events, and Secrets read by name). Shard-owned: touched only on its
// shard's thread, which on_shard() asserts in the sanitizer build.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "controller/certificate_reconciler.hpp"
#include "controller/metrics.hpp"
#include "controller/runtime/caches.hpp"
#include "controller/runtime/runner.hpp"
#include "controller/runtime/runtime_options.hpp"
#include "k8s/client.hpp"
#include "k8s/events.hpp"
#include "reactor/reactor.hpp"
#include "reactor/worker_pool.hpp"
#include "solvers/dns/dns01_resolver.hpp"

namespace certmill::controller {

namespace asio = boost::asio;

// The runner's handles for the kinds a shard reconciles.
struct Kinds {
  Runner::Kind certificate, issuer, cluster_issuer, ingress, gateway;
  // CertificateRequests no Certificate owns (RequestEffects).
  Runner::Kind request;
};

struct ShardContext {
  ShardContext(unsigned index, reactor::Reactor& reactor, Caches& caches, k8s::Client& client,
               reactor::WorkerPool& pool, Metrics& metrics, k8s::QueueMetrics::Shard queue,
               const RuntimeOptions& options);

  // Now, to the second, as conditions and renewal times are written.
  Time now() const;
  // Until when a reconcile waits for the cache to show a write made now.
  Time expectation_deadline() const;
  // The Secret, or none when it does not exist.
  asio::awaitable<Result<std::optional<api::Secret>>> get_secret(const std::string& ns,
                                                                 const std::string& name);
  asio::awaitable<void> record(k8s::EventRecorder& recorder, const api::ObjectReference& object,
                               const std::vector<EventNote>& events);
  // Asserts in the sanitizer build that the caller runs on this shard's
  // thread (or on none): shard state has no locks.
  void on_shard() const;

  const unsigned index;
  reactor::Reactor& reactor;
  reactor::Shard& shard;
  Caches& caches;
  k8s::Client& client;
  reactor::WorkerPool& pool;
  Metrics& metrics;
  const RuntimeOptions& options;
  // client-go's 4096 remembered events, split over the shards.
  k8s::EventRecorder certificate_events;
  k8s::EventRecorder issuer_events;
  k8s::EventRecorder request_events;
  Runner runner;
  Kinds kinds;
  // DNS-01 propagation checks' c-ares channels, shared by the shard's orders.
  solvers::dns::Dns01Resolver dns01;
};

}  // namespace certmill::controller
