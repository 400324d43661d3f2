// The shard's shared parts, and the checks that keep shard state on its shard.
#include "controller/runtime/shard_context.hpp"

#include "k8s/api_error.hpp"

namespace certmill::controller {

ShardContext::ShardContext(unsigned index_, reactor::Reactor& reactor_, Caches& caches_,
                           k8s::Client& client_, reactor::WorkerPool& pool_, Metrics& metrics_,
                           k8s::QueueMetrics::Shard queue, const RuntimeOptions& options_)
    : index(index_),
      reactor(reactor_),
      shard(reactor_.shard(index_)),
      caches(caches_),
      client(client_),
      pool(pool_),
      metrics(metrics_),
      options(options_),
      certificate_events(client_, reactor_.clock(), "cert-manager-certificates",
                         4096 / reactor_.size()),
      issuer_events(client_, reactor_.clock(), "cert-manager-issuers", 1024 / reactor_.size()),
      request_events(client_, reactor_.clock(), "cert-manager-certificaterequests",
                     1024 / reactor_.size()),
      runner(shard, reactor_.clock(), options_.max_in_flight, queue),
      dns01(shard.executor(),
            {.recursive_nameservers = options_.dns01_recursive_nameservers,
             .on_answer = [answers = metrics_.dns01().answers](int rcode) {
               answers[rcode < 0 || rcode > 15 ? 16 : static_cast<std::size_t>(rcode)]->Increment();
             }}) {}

Time ShardContext::now() const {
  return std::chrono::floor<std::chrono::seconds>(reactor.clock().now());
}

Time ShardContext::expectation_deadline() const {
  return now() + std::chrono::duration_cast<std::chrono::seconds>(options.expectation_timeout);
}

asio::awaitable<Result<std::optional<api::Secret>>> ShardContext::get_secret(
    const std::string& ns, const std::string& name) {
  auto secret = co_await client.get<api::Secret>(ns, name);
  if (secret)
    co_return std::optional<api::Secret>(std::move(*secret));
  if (k8s::is_not_found(secret.error()))
    co_return std::optional<api::Secret>();
  co_return secret.error();
}

asio::awaitable<void> ShardContext::record(k8s::EventRecorder& recorder,
                                           const api::ObjectReference& object,
                                           const std::vector<EventNote>& events) {
  for (const EventNote& note : events)
    co_await recorder.record(object, note.type, note.reason, note.message);
}

void ShardContext::on_shard() const {
  shard.assert_owned("controller state");
}

}  // namespace certmill::controller
