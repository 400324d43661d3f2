// The secrets scan every live test ends with (exposure_scan.hpp) is seen to
// find what it looks for: a private key's line in a log line, a Secret's
// value as base64 in an Event-like text, a short credential; and to pass
// what is public (certificates).
#include "tests/controller_live/exposure_scan.hpp"

#include <catch2/catch.hpp>

#include "core/base64.hpp"
#include "core/log.hpp"
#include "tests/controller_live/harness.hpp"
#include "tests/controller_live/log_tap.hpp"
#include "tests/controller_live/manifests.hpp"

using namespace certmill;
using namespace certmill::test;

TEST_CASE("secret_material takes keys and credentials, not certificates") {
  const std::string key =
      "-----BEGIN EC PRIVATE KEY-----\n"
      "MHcCAQEEIBz3Yb7kR1vTQ0CqW8yZ1cN2b3pQ9e7JkqT3lG0P1fAAoAoGCCqGSM49\n"
      "-----END EC PRIVATE KEY-----\n";
  const std::string cert =
      "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIQdGhpcyBpcyBh\n"
      "-----END CERTIFICATE-----\n";
  const auto secrets =
      boost::json::parse(R"({"items":[{"data":{"tls.key":")" + base64_encode(key) +
                         R"(","tls.crt":")" + base64_encode(cert) + R"(","secret-access-key":")" +
                         base64_encode("wJalrXUtnFEMI/K7MDENG/bPxRfiCY") + R"(","short":")" +
                         base64_encode("no") + R"("}}]})");
  const auto needles = secret_material(secrets);
  CHECK(std::count(needles.begin(), needles.end(),
                   "MHcCAQEEIBz3Yb7kR1vTQ0CqW8yZ1cN2b3pQ9e7JkqT3lG0P1fAAoAoGCCqGSM49") == 1);
  CHECK(std::count(needles.begin(), needles.end(), "wJalrXUtnFEMI/K7MDENG/bPxRfiCY") == 1);
  CHECK(std::count(needles.begin(), needles.end(), base64_encode(key)) == 1);
  for (const std::string& n : needles) {
    CHECK(n.find("MIIBszCCAVmgAwIBAgIQ") == std::string::npos);
    CHECK(n != "no");
  }

  const std::vector<std::string> texts{
      "log: 2026-12-07T06:00:00.000Z DEBUG parsed key=MHcCAQEEIBz3Yb7kR1vTQ0CqW8yZ1cN2b3pQ9e7Jkq"
      "T3lG0P1fAAoAoGCCqGSM49 ok",
      "Event: {\"message\":\"" + base64_encode(key) + "\"}",
      "log: the certificate MIIBszCCAVmgAwIBAgIQdGhpcyBpcyBh is public",
      "log: nothing to see here, wJalrXUtnFEMI/K7MDENG/bPx but not all of it"};
  const auto found = exposures(texts, needles);
  REQUIRE(found.size() == 2);
  CHECK(found[0].starts_with("log: 2026-12-07"));
  CHECK(found[1].starts_with("Event: "));
  // A test's own short credential is searched for too.
  CHECK(exposures({"log: token=do-tok-12"}, {"do-tok-12"}).size() == 1);
}

TEST_CASE("the harness's scan sees a key that reaches the log, and nothing when none does") {
  ControllerHarness h;
  h.apply(bootstrap_yaml("apps"));
  h.apply(leaf_yaml("apps", "web", "web.example.com"));
  REQUIRE(h.wait_ready("apps", "web"));
  auto scan = [&] {
    return exposures(cluster_texts(h, LogTap::get().lines()),
                     secret_material(*h.get("/api/v1/secrets")));
  };
  // Statuses and Events to search: the issuance wrote them.
  CHECK(cluster_texts(h, {}).size() > 5);
  CHECK(scan().empty());
  const std::string key = h.secret_data("apps", "web-tls", "tls.key");
  const std::string body_line = key.substr(key.find('\n') + 1, 64);
  REQUIRE(log::enabled(log::Level::debug));  // the tap keeps the most verbose lines
  log::debug("a line that must never be written", {{"leak", body_line}});
  const auto found = scan();
  REQUIRE(found.size() == 1);
  CHECK(found.front().find("a line that must never be written") != std::string::npos);
  LogTap::get().clear();  // so that the harness's own scan at its end passes
}
