// Request reports into their series, kept by label set.
#include "controller/acme_request_metrics.hpp"

namespace certmill::controller {

namespace {

// Label sets kept at most: a CA whose URLs carry an ID that trim_path does
// not recognise makes a set per object. Past this the kept ones are
// dropped; the registry still has them all.
constexpr std::size_t kKept = 256;

}  // namespace

void AcmeRequestMetrics::observe(const issuers::acme::RequestLabels& labels, double seconds) {
  std::string key = labels.scheme;
  for (const std::string* part : {&labels.host, &labels.path, &labels.method, &labels.status}) {
    key += '\x1f';
    key += *part;
  }
  auto it = series_.find(key);
  if (it == series_.end()) {
    if (series_.size() >= kKept)
      series_.clear();
    it = series_.emplace(std::move(key), metrics_.acme_request(labels)).first;
  }
  it->second.count->Increment();
  it->second.duration->Observe(seconds);
}

}  // namespace certmill::controller
