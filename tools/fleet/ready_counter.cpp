// A Certificate projected to whether its Ready condition is True.
#include "tools/fleet/ready_counter.hpp"

namespace certmill::fleet {

namespace {

ReadyView is_ready(api::Certificate&& crt) {
  ReadyView view{std::move(crt.metadata.namespace_), std::move(crt.metadata.name)};
  for (const auto& c : crt.status.conditions) {
    if (c.type == "Ready")
      view.ready = c.status == api::ConditionStatus::True;
  }
  return view;
}

}  // namespace

ReadyCounter::ReadyCounter(reactor::Reactor& reactor) : informer_(reactor, {}, is_ready) {
  for (unsigned i = 0; i < reactor.size(); ++i) {
    informer_.partition(i).on_change(
        [this](const std::string&, const ReadyView* before, const ReadyView* after) {
          total_ += (after != nullptr) - (before != nullptr);
          ready_ += (after && after->ready) - (before && before->ready);
        });
  }
}

void ReadyCounter::start(reactor::Reactor& reactor, k8s::Client& client) {
  reactor.spawn_service(reactor.shard(0), [this, &client]() -> boost::asio::awaitable<void> {
    co_await informer_.run(client);
  });
}

}  // namespace certmill::fleet
