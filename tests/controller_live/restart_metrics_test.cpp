// A restart over a converged fleet writes nothing, and /metrics carries
// cert-manager's series for a known Certificate.
#include <regex>

#include <catch2/catch.hpp>

#include "tests/controller_live/harness.hpp"
#include "tests/controller_live/manifests.hpp"

using namespace certmill;
using namespace certmill::test;

TEST_CASE("a restarted controller over a converged fleet makes zero writes") {
  ControllerHarness h;
  h.apply(bootstrap_yaml("fleet"));
  constexpr int kLeaves = 20;
  for (int i = 0; i < kLeaves; ++i) {
    const std::string n = std::to_string(i);
    h.apply(leaf_yaml("fleet", "leaf-" + n, "leaf-" + n + ".example.com"));
  }
  for (int i = 0; i < kLeaves; ++i)
    REQUIRE(h.wait_ready("fleet", "leaf-" + std::to_string(i)));
  REQUIRE(h.wait_settled(kLeaves + 1));
  h.stop();

  const auto before = h.writes();
  h.start();
  REQUIRE(h.wait_settled(kLeaves + 1));
  const auto after = h.writes();
  CHECK(after.objects == before.objects);
  CHECK(after.events == before.events);
}

TEST_CASE("/metrics has cert-manager's series for a known Certificate") {
  ControllerHarness h;
  h.apply(bootstrap_yaml("obs"));
  h.apply(leaf_yaml("obs", "web", "web.example.com"));
  REQUIRE(h.wait_ready("obs", "web"));
  auto crt = h.get("/apis/cert-manager.io/v1/namespaces/obs/certificates/web");
  REQUIRE(crt);
  const std::string not_after(crt->at("status").at("notAfter").as_string());

  std::string text;
  const std::string labels =
      R"({issuer_group="",issuer_kind="",issuer_name="my-ca-issuer",name="web",namespace="obs"})";
  const std::string ready_line =
      R"(certmanager_certificate_ready_status{condition="True",issuer_group="",issuer_kind="",issuer_name="my-ca-issuer",name="web",namespace="obs"} 1)";
  // The series follow the cache, which may show Ready a moment after the API
  // server does.
  REQUIRE(eventually([&] {
    text = h.scrape();
    return text.find(ready_line) != std::string::npos &&
           text.find(
               R"(certmanager_issuer_ready_status{condition="True",name="my-ca-issuer",namespace="obs"} 1)") !=
               std::string::npos;
  }));
  INFO(text);
  CHECK(text.find("certmanager_certificate_expiration_timestamp_seconds" + labels) !=
        std::string::npos);
  CHECK(text.find("certmanager_certificate_renewal_timestamp_seconds" + labels) !=
        std::string::npos);
  CHECK(text.find("certmanager_certificate_not_after_timestamp_seconds" + labels) !=
        std::string::npos);
  CHECK(text.find("certmanager_certificate_not_before_timestamp_seconds" + labels) !=
        std::string::npos);
  CHECK(std::regex_search(
      text,
      std::regex(R"(certmanager_controller_sync_call_count\{controller="certificates"\} [1-9])")));
  CHECK(text.find("certmanager_clock_time_seconds_gauge") != std::string::npos);
  CHECK(text.find("certmill_informer_lists_total") != std::string::npos);
  CHECK(text.find("certmill_kube_api_requests_total") != std::string::npos);
}
