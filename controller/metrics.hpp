// The metrics certmill exports, under cert-manager's names, types and labels
// so existing alerts and dashboards keep working, plus certmill's own
// (reconcile latency, shard loop lag; the work queue's depth and wait are
// k8s::QueueMetrics', registered into registry()). Per-object series are
// created once and kept as handles by the shard that owns the object; the
// hot path sets values through them and never looks a metric up by name.
// Certificates' series live in a compact table (certificate_metrics.hpp),
// everything else in a prometheus-cpp registry: the ACME client's requests
// (acme_request_metrics.hpp feeds them) and ACME Challenges' status
// (challenge_metrics.hpp, a table per shard) among them.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/summary.h>

#include "controller/certificate_metrics.hpp"
#include "controller/challenge_metrics.hpp"
#include "controller/issuer_view.hpp"
#include "core/api/acme.hpp"
#include "issuers/acme/request_observer.hpp"
#include "reactor/http_server.hpp"

namespace certmill::controller {

// certmanager_issuer_ready_status or certmanager_clusterissuer_ready_status.
class IssuerSeries {
 public:
  IssuerSeries() = default;
  IssuerSeries(IssuerSeries&& other) noexcept;
  IssuerSeries& operator=(IssuerSeries&& other) noexcept;
  ~IssuerSeries() { reset(); }
  void reset();
  bool tracked() const noexcept { return family_ != nullptr; }

 private:
  friend class Metrics;
  prometheus::Family<prometheus::Gauge>* family_ = nullptr;
  std::array<prometheus::Gauge*, 3> ready_{};
};

// A controller's sync counters and latency, looked up once per controller.
struct ControllerSeries {
  prometheus::Counter* calls = nullptr;
  prometheus::Counter* errors = nullptr;
  prometheus::Histogram* latency = nullptr;
};

// One label set of certmanager_http_acme_client_request_count and
// certmanager_http_acme_client_request_duration_seconds.
struct AcmeRequestSeries {
  prometheus::Counter* count = nullptr;
  prometheus::Summary* duration = nullptr;
};

// certmill's DNS-01 series: DNS answers by rcode (and "none" when no
// answer came), and how long a record took from being added until every
// server the check asks had it.
struct Dns01Series {
  std::array<prometheus::Counter*, 17> answers{};  // by rcode 0-15; [16]: none
  prometheus::Histogram* propagation_seconds = nullptr;
};

// How late a shard's event loop runs.
struct ShardSeries {
  prometheus::Gauge* loop_lag_seconds = nullptr;
};

class Metrics {
 public:
  // `shards`: one table of Certificate rows each.
  explicit Metrics(unsigned shards = 1);
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // Adds or updates a Certificate's series from the view (a new issuerRef
  // relabels them); forget() removes them ("namespace/name"), and the
  // challenge series of its orders. Call from the shard that owns the
  // Certificate: its rows are that shard's.
  void observe(const CertificateView& crt, unsigned shard = 0);
  void forget_certificate(const std::string& key, unsigned shard = 0);
  // Creates the series on first use, then sets them from the view. Call from
  // the shard that owns the object.
  void observe(IssuerSeries& series, const IssuerView& issuer);

  // A Challenge's certmanager_certificate_challenge_status series, as its
  // status says now, and their removal (challenge_metrics.hpp). `owner`: the
  // Certificate ("namespace/name") whose order (`order`, the Order's name)
  // made the Challenge. Call from the shard that owns the Certificate.
  void observe(const api::Challenge& challenge, const std::string& owner, const std::string& order,
               unsigned shard = 0);
  void forget_challenge(const std::string& owner, const std::string& ns, const std::string& name,
                        unsigned shard = 0);
  std::size_t challenges(unsigned shard = 0) const;

  // The ACME client's request series for a label set, made on first use
  // (thread-safe; the caller keeps them, acme_request_metrics.hpp).
  AcmeRequestSeries acme_request(const issuers::acme::RequestLabels& labels);

  ControllerSeries controller(std::string_view name);
  ShardSeries shard(unsigned index);
  // Made with the Metrics; thread-safe to update.
  const Dns01Series& dns01() const noexcept { return dns01_; }

  // One scrape in the text exposition format, with the clock gauge set to
  // `now`, made a part at a time (see reactor::BodySource): the registry's
  // families first, then the certificates' rows about 64 KiB a part.
  reactor::BodySource scrape(Time now);
  prometheus::Registry& registry() noexcept { return *registry_; }
  // Another source of families for expose() (the informers' counters).
  void add_collectable(std::shared_ptr<prometheus::Collectable> collectable) {
    collectables_.push_back(std::move(collectable));
  }

 private:
  std::vector<std::unique_ptr<CertificateMetrics>> certificates_;
  std::shared_ptr<prometheus::Registry> registry_;
  std::vector<std::shared_ptr<prometheus::Collectable>> collectables_;
  prometheus::Family<prometheus::Gauge>& issuer_ready_;
  prometheus::Family<prometheus::Gauge>& cluster_issuer_ready_;
  prometheus::Family<prometheus::Counter>& sync_calls_;
  prometheus::Family<prometheus::Counter>& sync_errors_;
  prometheus::Family<prometheus::Histogram>& reconcile_latency_;
  prometheus::Family<prometheus::Gauge>& loop_lag_;
  prometheus::Family<prometheus::Counter>& acme_requests_;
  prometheus::Family<prometheus::Summary>& acme_request_duration_;
  prometheus::Family<prometheus::Gauge>& challenge_status_;
  Dns01Series dns01_;
  prometheus::Gauge& clock_;
  // After the families they remove series from.
  std::vector<std::unique_ptr<ChallengeMetrics>> challenges_;
};

}  // namespace certmill::controller
