// A shard's reconcile runner, after kube-rs's Controller: a queue of objects
// by kind, each reconciled at most once at a time, at most `max_in_flight` at
// once, failures retried with the queue's backoff, and each kind's calls,
// errors and latency counted. It knows nothing of what a kind is: the effects
// modules register a reconcile per kind and queue their objects.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "controller/metrics.hpp"
#include "core/result.hpp"
#include "k8s/metrics.hpp"
#include "k8s/work_queue.hpp"
#include "reactor/notifier.hpp"
#include "reactor/reactor.hpp"

namespace certmill::controller {

namespace asio = boost::asio;

class Runner {
 public:
  using Reconcile = std::function<asio::awaitable<Status>(const std::string& key)>;
  // What add_kind() returns: the handle a kind's objects are queued by.
  struct Kind {
    std::uint8_t id = 0;
  };

  Runner(reactor::Shard& shard, reactor::Clock& clock, unsigned max_in_flight,
         k8s::QueueMetrics::Shard metrics);
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  // Before run(): how objects of a new kind are reconciled, and their series.
  Kind add_kind(ControllerSeries series, Reconcile reconcile);

  // Reconciles `key` at `at` (now when not given), or sooner if it is queued
  // for sooner already.
  void enqueue(Kind kind, const std::string& key,
               std::optional<reactor::TimePoint> at = std::nullopt);
  // The object is gone: drops it from the queue, and its backoff.
  void forget(Kind kind, const std::string& key);

  // Waits until `ready` (every cache listed), then runs the queue until
  // cancelled or the shard stops taking tasks.
  asio::awaitable<void> run(std::function<bool()> ready);

  std::size_t queued() const { return queue_.queued(); }

 private:
  struct Registered {
    ControllerSeries series;
    Reconcile reconcile;
  };

  asio::awaitable<void> run_item(k8s::WorkItem item);

  reactor::Shard& shard_;
  reactor::Clock& clock_;
  const unsigned max_in_flight_;
  k8s::QueueMetrics::Shard metrics_;
  std::vector<Registered> kinds_;
  k8s::WorkQueue queue_;
  reactor::Notifier wake_;
  unsigned in_flight_ = 0;
};

}  // namespace certmill::controller
