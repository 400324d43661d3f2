// The process_* series every Go controller exports (client_golang's process
// collector), which cert-manager dashboards graph: resident memory, CPU
// seconds, start time, open file descriptors; plus certmill's heap in use,
// to tell live data from allocator slack when RSS grows.
#pragma once

#include <vector>

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

namespace certmill::controller {

class ProcessMetrics final : public prometheus::Collectable {
 public:
  std::vector<prometheus::MetricFamily> Collect() const override;
};

}  // namespace certmill::controller
