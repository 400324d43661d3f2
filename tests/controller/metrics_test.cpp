// The /metrics text for a known Certificate and issuers, with the names,
// types and labels cert-manager's alerts and dashboards query
// (deploy/prometheus/certmill-alerts.rules.yaml), and series removal.
#include "controller/metrics.hpp"

#include <catch2/catch.hpp>

#include "k8s/metrics.hpp"
#include "tests/controller/fixtures.hpp"
#include "tests/controller/scrape_text.hpp"

using namespace certmill;
using namespace certmill::controller;
using certmill::test::expose;
using certmill::test::has_line;
using std::chrono::hours;

namespace {

const std::string labels =
    "issuer_group=\"cert-manager.io\",issuer_kind=\"Issuer\",issuer_name=\"ca-issuer\","
    "name=\"web\",namespace=\"apps\"";

CertificateView known_certificate() {
  api::Certificate crt = test::make_certificate();
  crt.status.conditions = {test::condition("Ready", api::ConditionStatus::True, "Ready")};
  crt.status.not_before = test::t0;
  crt.status.not_after = test::t0 + hours(2160);
  crt.status.renewal_time = test::t0 + hours(1440);
  return project_certificate(std::move(crt));
}

}  // namespace

TEST_CASE("a Certificate's series carry cert-manager's names, labels and values") {
  Metrics metrics;
  metrics.observe(known_certificate());
  const std::string text = expose(metrics, test::t0 + hours(1));
  INFO(text);
  CHECK(has_line(text, "# TYPE certmanager_certificate_ready_status gauge"));
  CHECK(
      has_line(text, "certmanager_certificate_ready_status{condition=\"True\"," + labels + "} 1"));
  CHECK(
      has_line(text, "certmanager_certificate_ready_status{condition=\"False\"," + labels + "} 0"));
  CHECK(has_line(text,
                 "certmanager_certificate_ready_status{condition=\"Unknown\"," + labels + "} 0"));
  CHECK(has_line(text, "# TYPE certmanager_certificate_expiration_timestamp_seconds gauge"));
  CHECK(has_line(
      text, "certmanager_certificate_expiration_timestamp_seconds{" + labels + "} 1780142400"));
  CHECK(has_line(text,
                 "certmanager_certificate_not_after_timestamp_seconds{" + labels + "} 1780142400"));
  CHECK(has_line(
      text, "certmanager_certificate_not_before_timestamp_seconds{" + labels + "} 1772366400"));
  CHECK(has_line(text,
                 "certmanager_certificate_renewal_timestamp_seconds{" + labels + "} 1777550400"));
  CHECK(has_line(text, "# TYPE certmanager_clock_time_seconds_gauge gauge"));
  CHECK(has_line(text, "certmanager_clock_time_seconds_gauge 1772370000"));
}

TEST_CASE("Ready changes move the 1 between conditions, one series each") {
  Metrics metrics;
  CertificateView crt = known_certificate();
  metrics.observe(crt);
  crt.ready =
      condition_view({test::condition("Ready", api::ConditionStatus::False, "Expired")}, "Ready");
  crt.not_after.reset();
  metrics.observe(crt);
  const std::string text = expose(metrics, test::t0);
  INFO(text);
  CHECK(
      has_line(text, "certmanager_certificate_ready_status{condition=\"True\"," + labels + "} 0"));
  CHECK(
      has_line(text, "certmanager_certificate_ready_status{condition=\"False\"," + labels + "} 1"));
  // A missing notAfter exports 0, as cert-manager does; the alerts ignore it.
  CHECK(has_line(text, "certmanager_certificate_expiration_timestamp_seconds{" + labels + "} 0"));

  crt.ready = {};
  metrics.observe(crt);
  CHECK(has_line(expose(metrics, test::t0),
                 "certmanager_certificate_ready_status{condition=\"Unknown\"," + labels + "} 1"));
}

TEST_CASE("Certificates sharing an issuerRef keep it while any of them names it") {
  Metrics metrics;
  CertificateView web = known_certificate();
  CertificateView api = known_certificate();
  api.name = "api";
  metrics.observe(web);
  metrics.observe(api);
  // web moves to another issuer and then goes; api's rows keep ca-issuer.
  web.issuer_ref = api::IssuerRef{"letsencrypt", "ClusterIssuer", "cert-manager.io"};
  metrics.observe(web);
  metrics.forget_certificate("apps/web");
  const std::string text = expose(metrics, test::t0);
  CHECK(text.find("issuer_name=\"letsencrypt\"") == std::string::npos);
  CHECK(has_line(text,
                 "certmanager_certificate_expiration_timestamp_seconds{issuer_group=\"cert-"
                 "manager.io\",issuer_kind=\"Issuer\",issuer_name=\"ca-issuer\","
                 "name=\"api\",namespace=\"apps\"} 1780142400"));
  // web comes back under ca-issuer: the one copy serves both.
  web.issuer_ref = api.issuer_ref;
  metrics.observe(web);
  CHECK(expose(metrics, test::t0).find("issuer_name=\"ca-issuer\",name=\"web\"") !=
        std::string::npos);
}

TEST_CASE("a new issuerRef relabels the series, and deletion removes them") {
  Metrics metrics;
  CertificateView crt = known_certificate();
  metrics.observe(crt);
  crt.issuer_ref = api::IssuerRef{"letsencrypt", "ClusterIssuer", "cert-manager.io"};
  metrics.observe(crt);
  const std::string text = expose(metrics, test::t0);
  CHECK(text.find("issuer_name=\"ca-issuer\"") == std::string::npos);
  CHECK(has_line(text,
                 "certmanager_certificate_expiration_timestamp_seconds{issuer_group=\"cert-"
                 "manager.io\",issuer_kind=\"ClusterIssuer\",issuer_name=\"letsencrypt\","
                 "name=\"web\",namespace=\"apps\"} 1780142400"));

  metrics.forget_certificate("other/web");
  CHECK(expose(metrics, test::t0).find("name=\"web\"") != std::string::npos);
  metrics.forget_certificate("apps/web");
  CHECK(expose(metrics, test::t0).find("name=\"web\"") == std::string::npos);
}

TEST_CASE("issuer and cluster issuer readiness, sync counters and shard series") {
  Metrics metrics;
  IssuerView issuer;
  issuer.namespace_ = "apps";
  issuer.name = "ca-issuer";
  issuer.ready =
      condition_view({test::condition("Ready", api::ConditionStatus::True, "x")}, "Ready");
  IssuerView cluster;
  cluster.cluster = true;
  cluster.name = "letsencrypt";
  IssuerSeries a, b;
  metrics.observe(a, issuer);
  metrics.observe(b, cluster);
  ControllerSeries certificates = metrics.controller("certificates");
  certificates.calls->Increment();
  certificates.calls->Increment();
  certificates.errors->Increment();
  certificates.latency->Observe(0.002);
  ShardSeries shard = metrics.shard(1);
  shard.loop_lag_seconds->Set(0.25);

  const std::string text = expose(metrics, test::t0);
  INFO(text);
  CHECK(has_line(text,
                 "certmanager_issuer_ready_status{condition=\"True\",name=\"ca-issuer\","
                 "namespace=\"apps\"} 1"));
  CHECK(
      has_line(text,
               "certmanager_clusterissuer_ready_status{condition=\"Unknown\",name=\"letsencrypt\"} "
               "1"));
  CHECK(has_line(text, "# TYPE certmanager_controller_sync_call_count counter"));
  CHECK(has_line(text, "certmanager_controller_sync_call_count{controller=\"certificates\"} 2"));
  CHECK(has_line(text, "certmanager_controller_sync_error_count{controller=\"certificates\"} 1"));
  CHECK(has_line(text, "# TYPE certmill_reconcile_duration_seconds histogram"));
  CHECK(has_line(text,
                 "certmill_reconcile_duration_seconds_bucket{controller=\"certificates\",le=\"0."
                 "005\"} 1"));
  CHECK(has_line(text, "certmill_shard_loop_lag_seconds{shard=\"1\"} 0.25"));

  b.reset();
  CHECK(expose(metrics, test::t0).find("letsencrypt") == std::string::npos);
}

TEST_CASE("label values are escaped as the text format requires") {
  Metrics metrics;
  CertificateView crt = known_certificate();
  crt.issuer_ref.name = "odd\"name\\with\nbreak";
  metrics.observe(crt);
  CHECK(expose(metrics, test::t0).find("issuer_name=\"odd\\\"name\\\\with\\nbreak\"") !=
        std::string::npos);
}

TEST_CASE("the k8s client's queue metrics share the registry and the one exposition") {
  Metrics metrics;
  k8s::QueueMetrics queue(metrics.registry());
  queue.shard(0).depth->Set(3);
  queue.shard(1).failing->Set(2);
  CHECK(has_line(expose(metrics, test::t0), "certmill_workqueue_depth{shard=\"0\"} 3"));
  CHECK(has_line(expose(metrics, test::t0), "certmill_workqueue_failing{shard=\"1\"} 2"));
}
