// Renewals the ACME account's budgets cannot fit before their certificates
// expire are told so days ahead: three Certificates for the same name, on a
// CA whose duplicate-certificate limit (told by annotation) gives a token
// back every 2,000 days, come up for renewal twelve days before their
// five-year certificates expire. Each gets the RenewalProjectedLate condition
// and a Warning Event, and /metrics counts three; before, none had either.
// When the Issuer's annotation raises the limit, their turns come and the
// conditions go.
#include <chrono>
#include <sstream>
#include <string>
#include <thread>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "tests/controller_live/acme_fixtures.hpp"
#include "tests/controller_live/harness.hpp"
#include "tests/support/pebble.hpp"

using namespace certmill;
using namespace certmill::test;

namespace {

constexpr int kCertificates = 3;

std::string certificate_path(int i) {
  return "/apis/cert-manager.io/v1/namespaces/shop/certificates/same-" + std::to_string(i);
}

int with_condition(ControllerHarness& h, const std::string& type, const std::string& status) {
  int n = 0;
  for (int i = 0; i < kCertificates; ++i) {
    if (h.condition(certificate_path(i), type) == status)
      ++n;
  }
  return n;
}

}  // namespace

TEST_CASE("renewals the budgets cannot fit before expiry are told so days ahead") {
  Pebble pebble(PebbleOptions::always_valid_on_loopback());
  ControllerHarness h(resolving_with(pebble.dns_port), true, "127.0.0.1:0");
  std::string issuer = cluster_issuer_yaml(pebble, kIngressSolver);
  const std::string named = "  name: letsencrypt-staging\nspec:";
  REQUIRE(issuer.find(named) != std::string::npos);
  issuer.replace(issuer.find(named), named.size(),
                 "  name: letsencrypt-staging\n  annotations:\n"
                 "    certmill.io/rate-limits: certificates-per-exact-set=3/144000h\nspec:");
  std::string yaml = kNamespace + "---\n" + issuer;
  for (int i = 0; i < kCertificates; ++i)
    yaml += "---\n" + certificate_yaml("same-" + std::to_string(i), "[same.example.com]");
  h.apply(yaml);
  // Two go at once; the third waits the hour certmill keeps for the CA's
  // count at issuance (the clock moves 20 s a step, two hours at most).
  bool issued = false;
  for (int step = 0; step < 360 && !issued; ++step) {
    issued = with_condition(h, "Ready", "True") == kCertificates;
    h.clock().advance(std::chrono::seconds(20));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  REQUIRE(issued);
  // Issued, with the set's three tokens spent: nothing is late yet.
  CHECK(with_condition(h, "RenewalProjectedLate", "True") == 0);

  // Five years less twelve days on: every renewal is due, and the set's next
  // token comes 2,000 days after the first issuances, long after the expiry:
  // all three are late, and none renews (which, on Pebble's real clock, would
  // bring a certificate already due on the test's).
  h.clock().advance(std::chrono::days(1826 - 12));
  const bool told = eventually_moving_clock(
      h, [&] { return with_condition(h, "RenewalProjectedLate", "True") == kCertificates; });
  REQUIRE(told);
  // Still Ready: the certificates in use are valid for twelve more days.
  CHECK(with_condition(h, "Ready", "True") == kCertificates);
  for (int i = 0; i < kCertificates; ++i) {
    std::string reason, message;
    if (h.condition(certificate_path(i), "RenewalProjectedLate", &reason, &message) != "True")
      continue;
    INFO(message);
    CHECK(reason == "RateLimitBudget");
    CHECK_THAT(message, Catch::Contains("before it expires at"));
    CHECK_THAT(message, Catch::Contains("projected for"));
    bool warned = false;
    for (const std::string& event : h.events_for("shop", "same-" + std::to_string(i)))
      warned = warned || event.starts_with("Warning RateLimitBudget: ");
    CHECK(warned);
  }
  CHECK_THAT(h.scrape(), Catch::Contains("certmill_acme_renewals_projected_to_miss{"));
  bool counted = false;
  std::istringstream lines(h.scrape());
  for (std::string line; std::getline(lines, line);)
    counted = counted || (line.starts_with("certmill_acme_renewals_projected_to_miss{") &&
                          line.ends_with(" 3"));
  CHECK(counted);

  // The Issuer's limit raised by its annotation: the line counts anew under
  // it, every renewal's turn comes, and the conditions go.
  REQUIRE(h.send("PATCH", "/apis/cert-manager.io/v1/clusterissuers/letsencrypt-staging",
                 R"({"metadata":{"annotations":{"certmill.io/rate-limits":)"
                 R"("certificates-per-exact-set=50/144000h"}}})",
                 "application/merge-patch+json")
              .status == 200);
  CHECK(eventually_moving_clock(
      h, [&] { return with_condition(h, "RenewalProjectedLate", "True") == 0; }));
}
