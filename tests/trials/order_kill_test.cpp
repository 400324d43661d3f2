// kill -9 with 100 ACME orders in flight: the shipped controller (the
// `certmill` binary, on kube-sim, Pebble behind acme-front) places 100
// orders whose authorizations the CA will not answer yet (acme-front serves
// 503 for them), and is killed with SIGKILL once every Order records its URL:
// no graceful stop, no last write. The next process continues every order
// from its Order's URL: acme-front sees no further newOrder, every Order
// keeps its URL, and all 100 Certificates become Ready with no request
// Failed.
#include <chrono>
#include <csignal>
#include <cstdio>
#include <map>
#include <string>
#include <sys/wait.h>
#include <thread>

#include <catch2/catch.hpp>

#include "tests/controller_live/acme_front_manifests.hpp"
#include "tests/controller_live/harness.hpp"
#include "tests/kube_sim/fixture.hpp"
#include "tests/support/acme_front.hpp"
#include "tests/support/openssl_cli.hpp"
#include "tests/support/pebble.hpp"
#include "tests/trials/trial_support.hpp"
#include "tools/fleet/child_process.hpp"

namespace {

using namespace certmill;
using namespace certmill::test;
using Clock = std::chrono::steady_clock;

constexpr int kCertificates = 100;

}  // namespace

TEST_CASE("kill -9 with 100 orders in flight: the next process places no newOrder for them",
          "[trials]") {
  ScratchDir dir;
  KubeSim sim;
  apply_crds(sim);
  Pebble pebble(PebbleOptions::always_valid_on_loopback());
  AcmeFront front(pebble, kRateLimitsOff);
  // Until the kill, the CA will not show an authorization: every order
  // stops, placed, in the client's retries.
  front.must_post("/fault", R"({"kind": "authorization", "status": 503,
      "content_type": "application/problem+json",
      "body": "{\"type\": \"urn:ietf:params:acme:error:serverInternal\", \"detail\": \"down for maintenance\"}"})");
  for (const std::string& doc : yaml_documents(acme_front_issuer(front, "le", "le-account") +
                                               shop_certificates("app", kCertificates, "le"))) {
    const auto r = request(
        sim, "POST", collection_path(yaml_field(doc, "kind", 0), yaml_field(doc, "namespace", 2)),
        doc, "application/yaml");
    REQUIRE(r.status == 201);
  }
  const std::string log = dir.path("certmill.log");

  std::map<std::string, std::string> placed;
  {
    fleet::ChildProcess first({"/bin/sh", "-c", controller_command(sim, pebble, log)}, false);
    const auto give_up = Clock::now() + std::chrono::seconds(180);
    while ((placed = order_urls(sim)).size() < kCertificates) {
      INFO("controller log:\n" << log_tail(log));
      REQUIRE(::waitpid(first.pid(), nullptr, WNOHANG) == 0);
      REQUIRE(Clock::now() < give_up);
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    ::kill(first.pid(), SIGKILL);
    ::waitpid(first.pid(), nullptr, 0);
  }
  const auto new_orders = new_order_requests(front);
  INFO(front.get("/stats").body);
  REQUIRE(new_orders >= kCertificates);
  // The orders were in flight: not one certificate had been issued.
  REQUIRE(with_condition(sim, "/apis/cert-manager.io/v1/namespaces/shop/certificates", "Ready",
                         "True") == 0);
  front.must_post("/fault", R"({"kind": "authorization"})");

  std::printf("killed with %zu orders placed; restarting\n", placed.size());
  fleet::ChildProcess second({"/bin/sh", "-c", controller_command(sim, pebble, log)}, false);
  const auto give_up = Clock::now() + std::chrono::seconds(300);
  int ready = 0;
  while ((ready = with_condition(sim, "/apis/cert-manager.io/v1/namespaces/shop/certificates",
                                 "Ready", "True")) < kCertificates) {
    INFO("controller log:\n" << log_tail(log));
    INFO(ready << " Ready");
    REQUIRE(::waitpid(second.pid(), nullptr, WNOHANG) == 0);
    REQUIRE(Clock::now() < give_up);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  INFO("controller log:\n" << log_tail(log));
  // The same orders, continued: not one newOrder more, every Order with the
  // URL it had, none added.
  CHECK(new_order_requests(front) == new_orders);
  CHECK(order_urls(sim) == placed);
  CHECK(with_condition(sim, "/apis/cert-manager.io/v1/namespaces/shop/certificaterequests", "Ready",
                       "False", "Failed") == 0);
  // The count of Failed requests sees one when there is one: every request
  // says Ready=True with reason Issued now.
  CHECK(with_condition(sim, "/apis/cert-manager.io/v1/namespaces/shop/certificaterequests", "Ready",
                       "True", "Issued") == kCertificates);
}
