// The controller as a whole: the caches, one ShardController per shard, and
// what the process exposes about them (readiness, metrics). The certmill
// controller command, the demo and the end-to-end tests all run this.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "controller/metrics.hpp"
#include "controller/runtime/caches.hpp"
#include "controller/runtime/rate_limit_scheduler.hpp"
#include "controller/runtime/shard_controller.hpp"
#include "k8s/client.hpp"
#include "k8s/metrics.hpp"
#include "reactor/reactor.hpp"
#include "reactor/worker_pool.hpp"

namespace certmill::controller {

struct ControllerConfig {
  CacheOptions caches;
  RuntimeOptions runtime;
};

class Controller {
 public:
  // `clients`: one per shard, each bound to its shard's executor.
  Controller(reactor::Reactor& reactor, std::vector<k8s::Client*> clients,
             reactor::WorkerPool& pool, ControllerConfig config);
  Controller(const Controller&) = delete;
  Controller& operator=(const Controller&) = delete;
  ~Controller();

  // Starts the informers and the shards' loops as reactor services. Call
  // once, from any thread, before or after the reactor starts.
  void start();
  bool started() const { return started_.load(); }
  // Every cache holds a full list.
  bool synced() const { return caches_.synced(); }
  // One scrape of the Prometheus text exposition, made as it is sent:
  // cert-manager's series, certmill's own, the client's requests, informers
  // and work queues.
  reactor::BodySource metrics_scrape();

  Caches& caches() { return caches_; }
  // What ACME orders put in for HTTP-01; serve it on a listener with
  // http01().attach(server).
  solvers::Http01Responder& http01() { return http01_; }
  Metrics& metrics() { return metrics_; }
  RateLimitScheduler& rate_limits() { return rate_limits_; }

 private:
  reactor::Reactor& reactor_;
  std::vector<k8s::Client*> clients_;
  ControllerConfig config_;
  solvers::Http01Responder http01_;
  Metrics metrics_;
  k8s::RequestMetrics request_metrics_;
  k8s::QueueMetrics queue_metrics_;
  std::shared_ptr<k8s::InformerMetrics> informer_metrics_;
  Caches caches_;
  AccountRegistrations registrations_;
  ratelimits::PublicSuffixList suffixes_;
  RateLimitFamilies rate_limit_metrics_;
  RateLimitScheduler rate_limits_;
  std::vector<std::unique_ptr<ShardController>> shards_;
  std::atomic<bool> started_{false};
};

}  // namespace certmill::controller
