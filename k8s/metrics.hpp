// Prometheus metrics of the k8s client: API requests by verb, resource and
// code with their latency, and each informer's lists, watches, relists after
// 410, errors, events and cached objects. Informer figures are read from its
// atomic counters when Prometheus scrapes, so the watch path pays nothing.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <prometheus/collectable.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include "core/duration.hpp"

namespace certmill::k8s {

struct InformerStats;

// Shared by every shard's Client; the families are thread-safe.
class RequestMetrics {
 public:
  explicit RequestMetrics(prometheus::Registry& registry);
  prometheus::Counter& requests(std::string_view verb, std::string_view resource,
                                std::string_view code);
  prometheus::Histogram& latency(std::string_view verb, std::string_view resource);

 private:
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& latency_;
};

// One Client's handles, so that a request looks nothing up by string: keys
// are the static verb and resource names and the status code.
class RequestRecorder {
 public:
  explicit RequestRecorder(RequestMetrics* metrics) : metrics_(metrics) {}
  // `status` 0 means the request failed before an answer.
  void record(std::string_view verb, std::string_view resource, unsigned status, Duration took);

 private:
  using Key = std::tuple<const char*, const char*, unsigned>;
  RequestMetrics* metrics_;
  std::map<Key, prometheus::Counter*> counters_;
  std::map<std::pair<const char*, const char*>, prometheus::Histogram*> latencies_;
};

// Each shard's work queue: how many keys wait or run, how many of them are
// retrying a failed reconcile, and how long a key waited past its due time
// before a reconcile took it.
class QueueMetrics {
 public:
  explicit QueueMetrics(prometheus::Registry& registry);
  // One shard's handles; use them from that shard only.
  struct Shard {
    prometheus::Gauge* depth;
    prometheus::Gauge* failing;
    prometheus::Histogram* wait;
  };
  Shard shard(unsigned index);

 private:
  prometheus::Family<prometheus::Gauge>& depth_;
  prometheus::Family<prometheus::Gauge>& failing_;
  prometheus::Family<prometheus::Histogram>& wait_;
};

class InformerMetrics final : public prometheus::Collectable {
 public:
  // `stats` must outlive this collector.
  void add(std::string resource, const InformerStats& stats);
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  mutable std::mutex mutex_;
  std::vector<std::pair<std::string, const InformerStats*>> informers_;
};

}  // namespace certmill::k8s
