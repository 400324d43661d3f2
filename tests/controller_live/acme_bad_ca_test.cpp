// An ACME CA that answers wrongly, through the controller: the Issuer says
// why on Ready and in an Event, and asks again on its own schedule (the CA's
// Retry-After, else a minute), never in a hot loop.
#include <chrono>
#include <thread>

#include <catch2/catch.hpp>

#include "tests/controller_live/harness.hpp"
#include "tests/issuers_live/canned_server.hpp"

using namespace certmill;
using namespace certmill::test;

namespace {

std::string issuer_yaml(const std::string& server) {
  return R"(apiVersion: v1
kind: Namespace
metadata:
  name: odd
---
apiVersion: cert-manager.io/v1
kind: Issuer
metadata:
  name: odd-ca
  namespace: odd
spec:
  acme:
    server: )" +
         server + R"(
    privateKeySecretRef:
      name: odd-ca-account
    solvers:
    - http01:
        ingress: {}
)";
}

const std::string kIssuer = "/apis/cert-manager.io/v1/namespaces/odd/issuers/odd-ca";

// Lets the controller run a little in real time without moving its clock.
void settle() {
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
}

}  // namespace

TEST_CASE("a directory without newOrder is the Issuer's reason, retried a minute later") {
  CannedServer ca({{200, R"({"newNonce":"{base}/n","newAccount":"{base}/a"})", {}}});
  ControllerHarness h({}, true, "127.0.0.1:0");
  h.apply(issuer_yaml(ca.url("/dir")));
  std::string reason, message;
  REQUIRE(eventually([&] { return h.condition(kIssuer, "Ready", &reason, &message) == "False"; }));
  INFO(message);
  CHECK(reason == "ErrRegisterACMEAccount");
  CHECK(message.find("newOrder") != std::string::npos);
  bool warned = false;
  for (const auto& event : h.events_for("odd", "odd-ca"))
    warned = warned || event.find("Warning ErrRegisterACMEAccount") == 0;
  CHECK(warned);

  settle();
  const auto asked = ca.requests().size();
  h.clock().advance(std::chrono::seconds(30));
  settle();
  CHECK(ca.requests().size() == asked);  // not before the minute is up
  h.clock().advance(std::chrono::seconds(31));
  REQUIRE(eventually([&] { return ca.requests().size() > asked; }));
}

TEST_CASE("a directory that is not JSON, and a CA that says when to come back") {
  CannedServer ca({{503, "<h1>down for maintenance</h1>", {{"Retry-After", "600"}}}});
  ControllerHarness h({}, true, "127.0.0.1:0");
  h.apply(issuer_yaml(ca.url("/dir")));
  std::string reason, message;
  REQUIRE(eventually([&] { return h.condition(kIssuer, "Ready", &reason, &message) == "False"; }));
  INFO(message);
  CHECK(message.find("HTTP 503") != std::string::npos);
  CHECK(message.find("down for maintenance") != std::string::npos);

  settle();
  const auto asked = ca.requests().size();
  h.clock().advance(std::chrono::seconds(599));
  settle();
  CHECK(ca.requests().size() == asked);  // Retry-After is honoured to the second
  h.clock().advance(std::chrono::seconds(2));
  REQUIRE(eventually([&] { return ca.requests().size() > asked; }));
}
