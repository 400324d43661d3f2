// CertificateRequests no Certificate owns, naming an ACME issuer, end to end
// against kube-sim and a real Pebble: approved and ordered beside the
// reconciles, the Order and its Challenges written for `kubectl describe`,
// the chain written to status.certificate; with the approver off, no order
// until approval; a controller stopped mid-order continues the same Order
// (no second newOrder); a request denied while its order runs is never
// signed; and a name no solver covers fails the request with the reason.
#include <string>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "core/base64.hpp"
#include "core/pki/csr.hpp"
#include "core/pki/keys.hpp"
#include "core/pki/x509.hpp"
#include "tests/controller_live/acme_fixtures.hpp"
#include "tests/controller_live/request_fixtures.hpp"
#include "tests/support/pebble.hpp"
#include "tests/support/scripted_http.hpp"

using namespace certmill;
using namespace certmill::test;

namespace {

std::string request_path(const std::string& name) {
  return test::request_path("shop", name);
}

Csr make_csr(const std::string& dns_name) {
  api::CertificateSpec spec;
  spec.dns_names = {dns_name};
  return test::make_csr(spec);
}

// As `cmctl create certificaterequest` makes one from a Certificate manifest.
std::string request_yaml(const std::string& name, const std::string& csr_pem) {
  return "apiVersion: cert-manager.io/v1\nkind: CertificateRequest\nmetadata:\n  name: " + name +
         "\n  namespace: shop\nspec:\n  request: " + base64_encode(csr_pem) +
         "\n  issuerRef: {name: letsencrypt-staging, kind: ClusterIssuer, group: "
         "cert-manager.io}\n  usages: [digital signature, key encipherment]\n";
}

std::string certificate_of(ControllerHarness& h, const std::string& name) {
  return request_certificate(h, "shop", name);
}

void set_condition(ControllerHarness& h, const std::string& name, const std::string& type,
                   const std::string& reason) {
  set_request_condition(h, "shop", name, type, reason);
}

bool has_event(ControllerHarness& h, const std::string& name, const std::string& text) {
  return has_request_event(h, "shop", name, text);
}

// The Orders in "shop" owned by the request `uid`.
std::vector<boost::json::value> orders_of(ControllerHarness& h, const std::string& uid) {
  std::vector<boost::json::value> owned;
  for (const auto& order : items(h, "orders")) {
    const auto* owners = order.at("metadata").as_object().if_contains("ownerReferences");
    if (!owners)
      continue;
    for (const auto& owner : owners->as_array()) {
      if (owner.at("uid").as_string() == uid)
        owned.push_back(order);
    }
  }
  return owned;
}

std::string uid_of(ControllerHarness& h, const std::string& name) {
  return std::string(h.get(request_path(name))->at("metadata").at("uid").as_string());
}

// Pebble on loopback passing every validation, and a ClusterIssuer for it.
// Held, the HTTP-01 self-check asks `route`, which answers 404 until the
// test gives it the key: the order waits, placed, on its Challenge.
struct Setup {
  Pebble pebble{PebbleOptions::always_valid_on_loopback()};
  ScriptedHttp route{http_reply(404, "default backend - 404")};
  ControllerHarness h;
  explicit Setup(bool held = false, controller::ControllerConfig config = {})
      : h(with_self_check(resolving_with(pebble.dns_port, std::move(config)), held), true,
          "127.0.0.1:" + std::to_string(pebble.http_port)) {
    h.apply(kNamespace);
    h.apply(cluster_issuer_yaml(pebble, kIngressSolver));
    REQUIRE(eventually([&] { return h.condition(kIssuer, "Ready") == "True"; }));
  }
  controller::ControllerConfig with_self_check(controller::ControllerConfig c, bool held) {
    if (held)
      c.runtime.http01_self_check.port = route.port();
    return c;
  }
  // The held Challenge's key, once it exists.
  std::string challenge_key() {
    std::string key;
    REQUIRE(eventually([&] {
      const auto challenges = items(h, "challenges");
      if (challenges.empty())
        return false;
      key = std::string(challenges.front().at("spec").at("key").as_string());
      return !key.empty();
    }));
    return key;
  }
};

}  // namespace

TEST_CASE("an ACME issuer signs a request no Certificate owns, through an Order of its own",
          "[foreign-requests][acme]") {
  Setup s;
  ControllerHarness& h = s.h;
  const Csr csr = make_csr("api.shop.example");
  h.apply(request_yaml("api-acme-1", csr.pem));
  REQUIRE(eventually_moving_clock(
      h, [&] { return h.condition(request_path("api-acme-1"), "Ready") == "True"; }));
  std::string reason;
  CHECK(h.condition(request_path("api-acme-1"), "Approved", &reason) == "True");
  CHECK(reason == "cert-manager.io");
  auto leaf = pki::parse_certificate(certificate_of(h, "api-acme-1"), "status.certificate");
  REQUIRE(leaf);
  CHECK(pki::key_matches_certificate(csr.key, *leaf));
  CHECK(leaf->info().sans.dns_names == std::vector<std::string>{"api.shop.example"});
  // The Order is the request's, for `kubectl describe`, and valid.
  const auto orders = orders_of(h, uid_of(h, "api-acme-1"));
  REQUIRE(orders.size() == 1);
  CHECK(orders.front().at("status").at("state").as_string() == "valid");
  CHECK(has_event(h, "api-acme-1", "OrderCreated"));
  CHECK(has_event(h, "api-acme-1", "CertificateIssued"));
  // Signed once: later syncs write nothing more to it.
  const std::string version = std::string(
      h.get(request_path("api-acme-1"))->at("metadata").at("resourceVersion").as_string());
  for (int i = 0; i < 20; ++i) {
    h.clock().advance(std::chrono::seconds(30));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(std::string(
            h.get(request_path("api-acme-1"))->at("metadata").at("resourceVersion").as_string()) ==
        version);
}

TEST_CASE("with the approver off an ACME request places no order until it is approved",
          "[foreign-requests][acme]") {
  controller::ControllerConfig config;
  config.runtime.approve_requests = false;
  Setup s(false, config);
  ControllerHarness& h = s.h;
  const Csr csr = make_csr("web.shop.example");
  h.apply(request_yaml("web-acme-1", csr.pem));
  std::string reason;
  REQUIRE(eventually([&] {
    return h.condition(request_path("web-acme-1"), "Ready", &reason) == "False" &&
           reason == "Pending";
  }));
  for (int i = 0; i < 10; ++i) {
    h.clock().advance(std::chrono::seconds(5));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(orders_of(h, uid_of(h, "web-acme-1")).empty());
  set_condition(h, "web-acme-1", "Approved", "KubectlCertManager");
  REQUIRE(eventually_moving_clock(
      h, [&] { return h.condition(request_path("web-acme-1"), "Ready") == "True"; }));
  CHECK(orders_of(h, uid_of(h, "web-acme-1")).size() == 1);
  auto leaf = pki::parse_certificate(certificate_of(h, "web-acme-1"), "status.certificate");
  REQUIRE(leaf);
  CHECK(pki::key_matches_certificate(csr.key, *leaf));
}

TEST_CASE("a controller stopped mid-order is followed by one that continues the same Order",
          "[foreign-requests][acme]") {
  Setup s(true);
  ControllerHarness& h = s.h;
  const Csr csr = make_csr("pay.shop.example");
  h.apply(request_yaml("pay-acme-1", csr.pem));
  const std::string key = s.challenge_key();
  std::string url;
  REQUIRE(eventually([&] {
    const auto orders = orders_of(h, uid_of(h, "pay-acme-1"));
    if (orders.empty())
      return false;
    const auto* status = orders.front().as_object().if_contains("status");
    const auto* u = status ? status->as_object().if_contains("url") : nullptr;
    if (!u || u->as_string().empty())
      return false;
    url = std::string(u->as_string());
    return true;
  }));
  std::string reason, message;
  CHECK(h.condition(request_path("pay-acme-1"), "Ready", &reason, &message) == "False");
  CHECK(message == "Waiting on certificate issuance: an ACME order is in progress");
  CHECK(certificate_of(h, "pay-acme-1").empty());
  h.stop();
  s.route.reply_with(http_reply(200, key));
  h.start();
  REQUIRE(eventually_moving_clock(
      h, [&] { return h.condition(request_path("pay-acme-1"), "Ready") == "True"; }));
  // The same Order, continued from its URL: none placed beside it.
  const auto orders = orders_of(h, uid_of(h, "pay-acme-1"));
  REQUIRE(orders.size() == 1);
  CHECK(orders.front().at("status").at("url").as_string() == url);
  CHECK(items(h, "orders").size() == 1);
  auto leaf = pki::parse_certificate(certificate_of(h, "pay-acme-1"), "status.certificate");
  REQUIRE(leaf);
  CHECK(pki::key_matches_certificate(csr.key, *leaf));
}

TEST_CASE("an ACME request denied while its order runs is never signed",
          "[foreign-requests][acme]") {
  Setup s(true);
  ControllerHarness& h = s.h;
  const Csr csr = make_csr("old.shop.example");
  h.apply(request_yaml("old-acme-1", csr.pem));
  const std::string key = s.challenge_key();
  set_condition(h, "old-acme-1", "Denied", "ByPolicy");
  std::string reason;
  REQUIRE(eventually([&] {
    return h.condition(request_path("old-acme-1"), "Ready", &reason) == "False" &&
           reason == "Denied";
  }));
  // The order goes on to its end; its chain is never written.
  s.route.reply_with(http_reply(200, key));
  REQUIRE(eventually_moving_clock(h, [&] {
    const auto orders = items(h, "orders");
    return !orders.empty() && orders.front().at("status").at("state") == "valid";
  }));
  for (int i = 0; i < 20; ++i) {
    h.clock().advance(std::chrono::seconds(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(certificate_of(h, "old-acme-1").empty());
  CHECK(h.condition(request_path("old-acme-1"), "Ready", &reason) == "False");
  CHECK(reason == "Denied");
}

TEST_CASE("an ACME request for a name no solver covers fails with the reason",
          "[foreign-requests][acme]") {
  Setup s;
  ControllerHarness& h = s.h;
  // HTTP-01 cannot prove a wildcard: the issuer has no DNS-01 solver.
  const Csr csr = make_csr("*.shop.example");
  h.apply(request_yaml("wild-acme-1", csr.pem));
  std::string reason, message;
  REQUIRE(eventually_moving_clock(h, [&] {
    return h.condition(request_path("wild-acme-1"), "Ready", &reason, &message) == "False" &&
           reason == "Failed";
  }));
  INFO(message);
  CHECK(message.find("*.shop.example") != std::string::npos);
  CHECK(has_event(h, "wild-acme-1", "OrderFailed"));
  CHECK(certificate_of(h, "wild-acme-1").empty());
}
