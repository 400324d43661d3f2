// Series creation, update and removal over prometheus-cpp core.
#include "controller/metrics.hpp"

#include <algorithm>
#include <sstream>

#include <prometheus/text_serializer.h>

#include "solvers/dns/dns_message.hpp"

namespace certmill::controller {

namespace {

using prometheus::Gauge;
using prometheus::Labels;

constexpr std::array<const char*, 3> condition_names = {"True", "False", "Unknown"};

std::size_t condition_index(const ConditionView& ready) {
  if (!ready.present)
    return 2;
  switch (ready.status) {
    case api::ConditionStatus::True:
      return 0;
    case api::ConditionStatus::False:
      return 1;
    case api::ConditionStatus::Unknown:
      return 2;
  }
  return 2;
}

prometheus::Family<Gauge>& gauge(prometheus::Registry& r, const char* name, const char* help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(r);
}

void set_ready(const std::array<Gauge*, 3>& gauges, const ConditionView& ready) {
  const std::size_t at = condition_index(ready);
  for (std::size_t i = 0; i < gauges.size(); ++i)
    gauges[i]->Set(i == at ? 1 : 0);
}

}  // namespace

IssuerSeries::IssuerSeries(IssuerSeries&& other) noexcept {
  *this = std::move(other);
}

IssuerSeries& IssuerSeries::operator=(IssuerSeries&& other) noexcept {
  if (this != &other) {
    reset();
    family_ = std::exchange(other.family_, nullptr);
    ready_ = other.ready_;
  }
  return *this;
}

void IssuerSeries::reset() {
  if (family_) {
    for (Gauge* g : ready_)
      family_->Remove(g);
  }
  family_ = nullptr;
}

Metrics::Metrics(unsigned shards)
    : registry_(std::make_shared<prometheus::Registry>()),
      issuer_ready_(
          gauge(*registry_, "certmanager_issuer_ready_status", "The ready status of the issuer.")),
      cluster_issuer_ready_(gauge(*registry_, "certmanager_clusterissuer_ready_status",
                                  "The ready status of the cluster issuer.")),
      sync_calls_(prometheus::BuildCounter()
                      .Name("certmanager_controller_sync_call_count")
                      .Help("The number of sync() calls made by a controller.")
                      .Register(*registry_)),
      sync_errors_(prometheus::BuildCounter()
                       .Name("certmanager_controller_sync_error_count")
                       .Help("The number of errors encountered during controller sync().")
                       .Register(*registry_)),
      reconcile_latency_(prometheus::BuildHistogram()
                             .Name("certmill_reconcile_duration_seconds")
                             .Help("Time one reconcile took, by controller.")
                             .Register(*registry_)),
      loop_lag_(gauge(*registry_, "certmill_shard_loop_lag_seconds",
                      "How late a shard's event loop ran a timer, last measured.")),
      acme_requests_(prometheus::BuildCounter()
                         .Name("certmanager_http_acme_client_request_count")
                         .Help("The number of requests made by the ACME client.")
                         .Register(*registry_)),
      acme_request_duration_(prometheus::BuildSummary()
                                 .Name("certmanager_http_acme_client_request_duration_seconds")
                                 .Help("The HTTP request latencies in seconds for the ACME client.")
                                 .Register(*registry_)),
      challenge_status_(gauge(*registry_, "certmanager_certificate_challenge_status",
                              "The status of certificate challenges")),
      clock_(gauge(*registry_, "certmanager_clock_time_seconds_gauge",
                   "The clock time given in seconds (from 1970/01/01 UTC).")
                 .Add({})) {
  auto& answers = prometheus::BuildCounter()
                      .Name("certmill_dns01_answers_total")
                      .Help(
                          "DNS answers to DNS-01's questions (zones, nameservers, TXT "
                          "records), by rcode; none: no answer in time")
                      .Register(*registry_);
  for (int rcode = 0; rcode < 16; ++rcode)
    dns01_.answers[static_cast<std::size_t>(rcode)] =
        &answers.Add({{"rcode", solvers::dns::rcode_name(rcode)}});
  dns01_.answers[16] = &answers.Add({{"rcode", "none"}});
  dns01_.propagation_seconds =
      &prometheus::BuildHistogram()
           .Name("certmill_dns01_propagation_seconds")
           .Help("Time from a DNS-01 record's update until every server the check asks has it")
           .Register(*registry_)
           .Add({}, prometheus::Histogram::BucketBoundaries{0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60,
                                                            120, 300, 600});
  for (unsigned i = 0; i < std::max(1u, shards); ++i) {
    certificates_.push_back(std::make_unique<CertificateMetrics>());
    challenges_.push_back(std::make_unique<ChallengeMetrics>(challenge_status_));
  }
}

void Metrics::observe(const CertificateView& crt, unsigned shard) {
  certificates_.at(shard)->observe(crt);
}

void Metrics::forget_certificate(const std::string& key, unsigned shard) {
  certificates_.at(shard)->forget(key);
  challenges_.at(shard)->forget_owner(key);
}

void Metrics::observe(const api::Challenge& challenge, const std::string& owner,
                      const std::string& order, unsigned shard) {
  challenges_.at(shard)->observe(challenge, owner, order);
}

void Metrics::forget_challenge(const std::string& owner, const std::string& ns,
                               const std::string& name, unsigned shard) {
  challenges_.at(shard)->forget(owner, ns, name);
}

std::size_t Metrics::challenges(unsigned shard) const {
  return challenges_.at(shard)->size();
}

AcmeRequestSeries Metrics::acme_request(const issuers::acme::RequestLabels& labels) {
  const Labels by = {{"scheme", labels.scheme},
                     {"host", labels.host},
                     {"path", labels.path},
                     {"method", labels.method},
                     {"status", labels.status}};
  // cert-manager's objectives, over client_golang's default window (ten
  // minutes in five buckets).
  const prometheus::Summary::Quantiles quantiles = {{0.5, 0.05}, {0.9, 0.01}, {0.99, 0.001}};
  return {&acme_requests_.Add(by),
          &acme_request_duration_.Add(by, quantiles, std::chrono::minutes(10), 5)};
}

void Metrics::observe(IssuerSeries& s, const IssuerView& issuer) {
  if (!s.tracked()) {
    prometheus::Family<Gauge>& family = issuer.cluster ? cluster_issuer_ready_ : issuer_ready_;
    Labels labels = {{"name", issuer.name}};
    if (!issuer.cluster)
      labels.emplace("namespace", issuer.namespace_);
    for (std::size_t i = 0; i < condition_names.size(); ++i) {
      Labels with_condition = labels;
      with_condition.emplace("condition", condition_names[i]);
      s.ready_[i] = &family.Add(with_condition);
    }
    s.family_ = &family;
  }
  set_ready(s.ready_, issuer.ready);
}

ControllerSeries Metrics::controller(std::string_view name) {
  const Labels labels = {{"controller", std::string(name)}};
  // Seconds, from a fast reconcile (100 µs) to a slow one (10 s).
  const prometheus::Histogram::BucketBoundaries buckets = {0.0001, 0.0005, 0.001, 0.005, 0.01,
                                                           0.05,   0.1,    0.5,   1,     10};
  return {&sync_calls_.Add(labels), &sync_errors_.Add(labels),
          &reconcile_latency_.Add(labels, buckets)};
}

ShardSeries Metrics::shard(unsigned index) {
  const Labels labels = {{"shard", std::to_string(index)}};
  return {&loop_lag_.Add(labels)};
}

reactor::BodySource Metrics::scrape(Time now) {
  // A part's size: large enough that a scrape is a few hundred writes, small
  // enough that the buffer is nothing next to the rows it renders.
  constexpr std::size_t kPart = 64 * 1024;
  clock_.Set(static_cast<double>(now.time_since_epoch().count()));
  std::ostringstream head;
  auto families = registry_->Collect();
  for (const auto& collectable : collectables_) {
    auto more = collectable->Collect();
    families.insert(families.end(), std::make_move_iterator(more.begin()),
                    std::make_move_iterator(more.end()));
  }
  prometheus::TextSerializer().Serialize(head, families);
  return [this, head = head.str(), cursor = CertificateCursor{}](std::string& out) mutable {
    if (!head.empty()) {
      out += head;
      head = std::string();
      return true;
    }
    return write_certificate_families(certificates_, cursor, out, kPart);
  };
}

}  // namespace certmill::controller
