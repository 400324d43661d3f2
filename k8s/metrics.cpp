// Metric families of the k8s client.
#include "k8s/metrics.hpp"

#include <prometheus/client_metric.h>
#include <prometheus/metric_family.h>

#include "k8s/informer.hpp"

namespace certmill::k8s {

RequestMetrics::RequestMetrics(prometheus::Registry& registry)
    : requests_(prometheus::BuildCounter()
                    .Name("certmill_kube_api_requests_total")
                    .Help("Requests to the Kubernetes API server by verb, resource and HTTP code")
                    .Register(registry)),
      latency_(prometheus::BuildHistogram()
                   .Name("certmill_kube_api_request_duration_seconds")
                   .Help("Latency of requests to the Kubernetes API server")
                   .Register(registry)) {}

prometheus::Counter& RequestMetrics::requests(std::string_view verb, std::string_view resource,
                                              std::string_view code) {
  return requests_.Add({{"verb", std::string(verb)},
                        {"resource", std::string(resource)},
                        {"code", std::string(code)}});
}

prometheus::Histogram& RequestMetrics::latency(std::string_view verb, std::string_view resource) {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1,
                                                                   0.25,  0.5,  1,     2.5,  10};
  return latency_.Add({{"verb", std::string(verb)}, {"resource", std::string(resource)}}, kBuckets);
}

void RequestRecorder::record(std::string_view verb, std::string_view resource, unsigned status,
                             Duration took) {
  if (metrics_ == nullptr)
    return;
  const Key key{verb.data(), resource.data(), status};
  auto counter = counters_.find(key);
  if (counter == counters_.end()) {
    const std::string code = status == 0 ? "error" : std::to_string(status);
    counter = counters_.emplace(key, &metrics_->requests(verb, resource, code)).first;
  }
  counter->second->Increment();
  auto histogram = latencies_.find({verb.data(), resource.data()});
  if (histogram == latencies_.end()) {
    histogram =
        latencies_
            .emplace(std::pair{verb.data(), resource.data()}, &metrics_->latency(verb, resource))
            .first;
  }
  histogram->second->Observe(std::chrono::duration<double>(took).count());
}

QueueMetrics::QueueMetrics(prometheus::Registry& registry)
    : depth_(prometheus::BuildGauge()
                 .Name("certmill_workqueue_depth")
                 .Help("Keys queued or being reconciled, per shard")
                 .Register(registry)),
      failing_(prometheus::BuildGauge()
                   .Name("certmill_workqueue_failing")
                   .Help("Keys whose last reconcile failed, waiting for their retry, per shard")
                   .Register(registry)),
      wait_(prometheus::BuildHistogram()
                .Name("certmill_workqueue_wait_seconds")
                .Help("How long a key waited past its due time before its reconcile began")
                .Register(registry)) {}

QueueMetrics::Shard QueueMetrics::shard(unsigned index) {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {0.001, 0.01, 0.1, 0.5, 1,
                                                                   5,     15,   60,  300};
  const prometheus::Labels labels{{"shard", std::to_string(index)}};
  return {&depth_.Add(labels), &failing_.Add(labels), &wait_.Add(labels, kBuckets)};
}

void InformerMetrics::add(std::string resource, const InformerStats& stats) {
  std::lock_guard lock(mutex_);
  informers_.emplace_back(std::move(resource), &stats);
}

std::vector<prometheus::MetricFamily> InformerMetrics::Collect() const {
  struct Series {
    const char* name;
    const char* help;
    prometheus::MetricType type;
    double (*read)(const InformerStats&);
  };
  static const Series kSeries[] = {
      {"certmill_informer_lists_total", "Complete LISTs, the first included",
       prometheus::MetricType::Counter, [](const InformerStats& s) { return double(s.lists); }},
      {"certmill_informer_watches_total", "Watch streams opened (a restart opens another)",
       prometheus::MetricType::Counter, [](const InformerStats& s) { return double(s.watches); }},
      {"certmill_informer_relists_after_gone_total", "410 Gone answers that forced a relist",
       prometheus::MetricType::Counter, [](const InformerStats& s) { return double(s.gone); }},
      {"certmill_informer_errors_total", "Failed requests and undecodable events",
       prometheus::MetricType::Counter, [](const InformerStats& s) { return double(s.errors); }},
      {"certmill_informer_events_total", "ADDED, MODIFIED and DELETED events applied",
       prometheus::MetricType::Counter, [](const InformerStats& s) { return double(s.events); }},
      {"certmill_informer_cached_objects", "Objects in the cache", prometheus::MetricType::Gauge,
       [](const InformerStats& s) { return double(s.cached); }},
  };
  std::lock_guard lock(mutex_);
  std::vector<prometheus::MetricFamily> families;
  for (const auto& series : kSeries) {
    prometheus::MetricFamily family{series.name, series.help, series.type, {}};
    for (const auto& [resource, stats] : informers_) {
      prometheus::ClientMetric metric;
      metric.label = {{"resource", resource}};
      const double value = series.read(*stats);
      if (series.type == prometheus::MetricType::Counter) {
        metric.counter.value = value;
      } else {
        metric.gauge.value = value;
      }
      family.metric.push_back(std::move(metric));
    }
    families.push_back(std::move(family));
  }
  return families;
}

}  // namespace certmill::k8s
