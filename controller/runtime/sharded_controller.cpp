// Builds the shards' controllers over shared caches and starts them.
#include "controller/runtime/sharded_controller.hpp"

#include "controller/process_metrics.hpp"
#include "controller/solver_endpoints.hpp"
#include "core/log.hpp"

namespace certmill::controller {

namespace {

// The caches keep the annotations the shims are configured to read.
CacheOptions cache_options(const ControllerConfig& config) {
  CacheOptions options = config.caches;
  for (const auto* keys :
       {&config.runtime.shim.auto_annotations, &config.runtime.shim.extra_annotations})
    options.shim_annotations.insert(options.shim_annotations.end(), keys->begin(), keys->end());
  return options;
}

// The list read once; without it every name counts under its last two
// labels (the list's default rule), which merges, never splits, registered
// domains: budgets stay on the safe side.
ratelimits::PublicSuffixList load_suffixes(const std::string& path) {
  auto list = ratelimits::PublicSuffixList::load(path);
  if (list)
    return std::move(*list);
  log::warn("the Public Suffix List cannot be read; registered domains are the last two labels",
            {{"error", list.error().message()}});
  return ratelimits::PublicSuffixList::parse("");
}

}  // namespace

Controller::Controller(reactor::Reactor& reactor, std::vector<k8s::Client*> clients,
                       reactor::WorkerPool& pool, ControllerConfig config)
    : reactor_(reactor),
      clients_(std::move(clients)),
      config_(std::move(config)),
      metrics_(reactor.size()),
      request_metrics_(metrics_.registry()),
      queue_metrics_(metrics_.registry()),
      informer_metrics_(std::make_shared<k8s::InformerMetrics>()),
      caches_(reactor, cache_options(config_)),
      registrations_(reactor),
      suffixes_(load_suffixes(config_.runtime.public_suffix_list)),
      rate_limit_metrics_(metrics_.registry()),
      rate_limits_(reactor, rate_limit_metrics_, clients_, suffixes_, caches_.options.namespace_) {
  config_.runtime.http01 = &http01_;
  // A standby answers no challenge; start() turns the responder on.
  http01_.set_serving(false);
  caches_.register_metrics(*informer_metrics_);
  metrics_.add_collectable(informer_metrics_);
  metrics_.add_collectable(std::make_shared<ProcessMetrics>());
  for (k8s::Client* client : clients_)
    client->set_metrics(&request_metrics_);
  for (unsigned i = 0; i < reactor.size(); ++i) {
    shards_.push_back(std::make_unique<ShardController>(
        i, reactor, caches_, *clients_.at(i), pool, metrics_, queue_metrics_.shard(i),
        config_.runtime, AcmeShared{registrations_, rate_limits_, suffixes_}));
    shards_.back()->attach();
  }
}

Controller::~Controller() = default;

void Controller::start() {
  if (started_.exchange(true))
    return;
  http01_.set_serving(true);
  for (unsigned i = 0; i < reactor_.size(); ++i) {
    ShardController& shard = *shards_[i];
    reactor_.spawn_service(reactor_.shard(i),
                           [&shard]() -> asio::awaitable<void> { co_await shard.run(); });
    reactor_.spawn_service(reactor_.shard(i), [&shard]() -> asio::awaitable<void> {
      co_await shard.watch_loop_lag();
    });
  }
  caches_.start(reactor_, *clients_.at(0));
  if (!config_.runtime.pod_ip.empty()) {
    // Open Challenges' EndpointSlices still name the former leader's pod.
    solvers::PodEndpoint pod{config_.runtime.pod_ip,
                             static_cast<int32_t>(config_.runtime.http01_listen_port)};
    reactor_.spawn(reactor_.shard(0), [this, pod]() -> asio::awaitable<void> {
      co_await repoint_solver_endpoints(*clients_.at(0), config_.caches.namespace_, pod);
    });
  }
}

reactor::BodySource Controller::metrics_scrape() {
  return metrics_.scrape(std::chrono::floor<std::chrono::seconds>(reactor_.clock().now()));
}

}  // namespace certmill::controller
