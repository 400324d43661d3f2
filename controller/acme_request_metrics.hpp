// The ACME client's requests as cert-manager counts them: each report
// (issuers/acme/request_observer.hpp) adds one to
// certmanager_http_acme_client_request_count and one observation to
// certmanager_http_acme_client_request_duration_seconds under the same
// labels. Given to each account's client, on the client's shard; it keeps
// the series it used by their joined labels, so a request finds them in a
// small map of its own rather than in the registry's families.
#pragma once

#include <string>
#include <unordered_map>

#include "controller/metrics.hpp"
#include "issuers/acme/request_observer.hpp"

namespace certmill::controller {

class AcmeRequestMetrics final : public issuers::acme::RequestObserver {
 public:
  explicit AcmeRequestMetrics(Metrics& metrics) : metrics_(metrics) {}
  void observe(const issuers::acme::RequestLabels& labels, double seconds) override;

 private:
  Metrics& metrics_;
  std::unordered_map<std::string, AcmeRequestSeries> series_;  // by the labels, joined
};

}  // namespace certmill::controller
