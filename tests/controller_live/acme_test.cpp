// ACME end to end: a ClusterIssuer as cert-manager's documentation writes it
// (server pointed at a real Pebble on loopback), its account registered, and
// Certificates and an annotated Ingress issued over HTTP-01 that Pebble
// validates against certmill's own listener (pebble-challtestsrv resolves
// every name to 127.0.0.1). The fake clock is moved along so that the
// orders' polls, which wait on it, go on.
#include <algorithm>
#include <chrono>
#include <sstream>
#include <thread>

#include <catch2/catch.hpp>

#include "core/base64.hpp"
#include "core/pki/x509.hpp"
#include "tests/controller_live/acme_fixtures.hpp"
#include "tests/support/openssl_cli.hpp"
#include "tests/support/pebble.hpp"
#include "tests/support/scripted_http.hpp"

using namespace certmill;
using namespace certmill::test;

namespace {

std::string common_name(const std::string& pem) {
  auto cert = pki::parse_certificate(pem, "Pebble root");
  REQUIRE(cert.ok());
  return cert->info().subject.common_name;
}

void check_chain(ControllerHarness& h, const Pebble& pebble, const std::string& secret) {
  const std::string chain = h.secret_data("shop", secret, "tls.crt");
  auto certs = pki::parse_certificates(chain, "tls.crt");
  REQUIRE(certs);
  REQUIRE(!certs->empty());
  ScratchDir dir;
  const auto verified =
      openssl({"verify", "-CAfile", dir.write("root.pem", pebble.root_pem()), "-untrusted",
               dir.write("intermediate.pem", pebble.intermediate_pem()),
               dir.write("leaf.pem", certs->front().pem())});
  INFO(verified.output);
  CHECK(verified.status == 0);
}

}  // namespace

TEST_CASE("an ACME ClusterIssuer registers and issues over HTTP-01 validated by Pebble") {
  PebbleOptions options;
  options.resolve_to_loopback = true;
  Pebble pebble(options);
  ControllerHarness h(resolving_with(pebble.dns_port), true,
                      "127.0.0.1:" + std::to_string(pebble.http_port));
  h.apply(kNamespace);
  h.apply(cluster_issuer_yaml(pebble, kIngressSolver));

  const std::string issuer = "/apis/cert-manager.io/v1/clusterissuers/letsencrypt-staging";
  std::string reason, message;
  REQUIRE(eventually([&] { return h.condition(issuer, "Ready", &reason, &message) == "True"; }));
  CHECK(reason == "ACMEAccountRegistered");
  CHECK(message == "The ACME account was registered with the ACME server");
  auto stored = h.get(issuer);
  REQUIRE(stored);
  const auto& acme = stored->at("status").at("acme");
  CHECK(std::string(acme.at("uri").as_string()).find("https://127.0.0.1:") == 0);
  CHECK(acme.at("lastRegisteredEmail").as_string() == "Ops@Example.com");
  // The account key went where privateKeySecretRef says, in the cluster
  // resource namespace.
  CHECK(h.secret_data("kube-system", "letsencrypt-staging", "tls.key").find("PRIVATE KEY") !=
        std::string::npos);

  h.apply(certificate_yaml("shop", "[shop.example.com, www.shop.example.com]"));
  h.apply(R"(apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: api
  namespace: shop
  annotations:
    cert-manager.io/cluster-issuer: letsencrypt-staging
spec:
  ingressClassName: nginx
  tls:
  - hosts: [api.shop.example.com]
    secretName: api-tls
)");
  REQUIRE(wait_moving_clock(h, "shop", "Ready", "True", &reason, &message));
  REQUIRE(wait_moving_clock(h, "api-tls", "Ready", "True", &reason, &message));
  check_chain(h, pebble, "shop-tls");
  check_chain(h, pebble, "api-tls");
  // Every token was taken down once its order ended.
  CHECK(h.controller().http01().size() == 0);

  // The Orders say how it went; solved Challenges are gone.
  const auto orders = items(h, "orders");
  REQUIRE(orders.size() == 2);
  for (const auto& order : orders) {
    CHECK(order.at("status").at("state").as_string() == "valid");
    CHECK(std::string(order.at("status").at("url").as_string()).find("https://127.0.0.1:") == 0);
    CHECK(order.at("metadata").at("ownerReferences").at(0).at("kind").as_string() ==
          "CertificateRequest");
  }
  CHECK(items(h, "challenges").empty());

  // A solver Ingress per challenge (three names), each gone once decided;
  // the user's Ingress is the one left.
  CHECK(requests(h, "create", "ingresses") == 1 + 3);
  CHECK(requests(h, "delete", "ingresses") == 3);
  auto ingresses = h.get("/apis/networking.k8s.io/v1/namespaces/shop/ingresses");
  REQUIRE(ingresses);
  CHECK(ingresses->at("items").as_array().size() == 1);
}

TEST_CASE("an edit-in-place solver routes through the user's Ingress and restores it") {
  PebbleOptions options;
  options.resolve_to_loopback = true;
  Pebble pebble(options);
  ControllerHarness h(resolving_with(pebble.dns_port), true,
                      "127.0.0.1:" + std::to_string(pebble.http_port));
  h.apply(kNamespace);
  h.apply(R"(apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
spec:
  ingressClassName: nginx
  rules:
  - host: web.shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
)");
  const std::string path = "/apis/networking.k8s.io/v1/namespaces/shop/ingresses/web";
  const auto before = h.get(path)->at("spec");
  h.apply(cluster_issuer_yaml(pebble, R"(    - http01:
        ingress:
          name: web
)"));
  h.apply(certificate_yaml("web", "[web.shop.example.com]"));
  REQUIRE(wait_moving_clock(h, "web", "Ready", "True"));
  CHECK(requests(h, "update", "ingresses") == 2);  // the path in, and out again
  CHECK(requests(h, "create", "ingresses") == 1);  // the user's own
  CHECK(h.get(path)->at("spec") == before);
}

TEST_CASE("an order that goes invalid leaves an invalid Order and Challenge that say why") {
  PebbleOptions options;
  options.resolve_to_loopback = true;
  Pebble pebble(options);
  // Pebble validates on its HTTP port; certmill listens elsewhere.
  ControllerHarness h(resolving_with(pebble.dns_port), true, "127.0.0.1:0");
  h.apply(kNamespace);
  h.apply(cluster_issuer_yaml(pebble, kIngressSolver));
  REQUIRE(eventually([&] { return h.condition(kIssuer, "Ready") == "True"; }));
  h.apply(certificate_yaml("lost", "[lost.example.com]"));
  std::string reason, message;
  REQUIRE(wait_moving_clock(h, "lost", "Issuing", "False", &reason, &message));
  INFO(message);
  CHECK(reason == "Failed");
  CHECK(message.find("lost.example.com") != std::string::npos);

  const auto orders = items(h, "orders");
  REQUIRE(orders.size() == 1);
  CHECK(orders[0].at("status").at("state").as_string() == "invalid");
  CHECK(orders[0].at("status").at("reason").as_string() != "");
  CHECK(orders[0].at("status").as_object().contains("failureTime"));
  const auto challenges = items(h, "challenges");
  REQUIRE(challenges.size() == 1);
  const auto& challenge = challenges[0];
  CHECK(challenge.at("spec").at("dnsName").as_string() == "lost.example.com");
  CHECK(challenge.at("spec").at("type").as_string() == "HTTP-01");
  CHECK(challenge.at("spec").at("solver").at("http01").at("ingress").at("ingressClassName") ==
        "nginx");
  CHECK(challenge.at("status").at("state").as_string() == "invalid");
  CHECK(challenge.at("status").at("reason").as_string() != "");
  CHECK(challenge.at("metadata").at("ownerReferences").at(0).at("kind").as_string() == "Order");

  // cert-manager's Events on it, in order, the failure with the CA's reason.
  const std::string name(challenge.at("metadata").at("name").as_string());
  const auto events = h.events_for("shop", name);
  INFO("events: " << events.size());
  REQUIRE(events.size() == 3);
  CHECK(events[0] == "Normal Started: Challenge scheduled for processing");
  CHECK(events[1] == "Normal Presented: Presented challenge using HTTP-01 challenge mechanism");
  CHECK(events[2].starts_with("Warning Failed: Accepting challenge authorization failed: "));
  CHECK(events[2].find("lost.example.com") != std::string::npos);
  // Its status series stay with it: invalid, no longer processing.
  const auto series = challenge_series(h, name);
  INFO(h.scrape());
  CHECK(series.size() == 8);
  CHECK(challenge_series(h, name, {"processing=\"false\"", "status=\"invalid\"", "} 1"}).size() ==
        1);
  CHECK(challenge_series(h, name, {"} 1"}).size() == 1);
}

TEST_CASE("a wildcard on an HTTP-01-only ACME issuer fails with a reason, without an order") {
  Pebble pebble;
  ControllerHarness h({}, true, "127.0.0.1:0");
  h.apply(kNamespace);
  h.apply(cluster_issuer_yaml(pebble, kIngressSolver));
  REQUIRE(eventually([&] {
    return h.condition("/apis/cert-manager.io/v1/clusterissuers/letsencrypt-staging", "Ready") ==
           "True";
  }));
  h.apply(certificate_yaml("wild", "[\"*.shop.example.com\"]"));
  std::string reason, message;
  REQUIRE(wait_moving_clock(h, "wild", "Issuing", "False", &reason, &message));
  INFO(message);
  CHECK(reason == "Failed");
  CHECK(message.find("wildcard") != std::string::npos);
}

TEST_CASE("an ACME issuer whose CA cannot be reached is not Ready, and says why") {
  ControllerHarness h({}, true, "127.0.0.1:0");
  h.apply(kNamespace);
  h.apply(R"(apiVersion: cert-manager.io/v1
kind: Issuer
metadata:
  name: nowhere
  namespace: shop
spec:
  acme:
    server: https://127.0.0.1:1/directory
    privateKeySecretRef:
      name: nowhere-account
    solvers:
    - http01:
        ingress: {}
)");
  std::string reason, message;
  REQUIRE(eventually([&] {
    return h.condition("/apis/cert-manager.io/v1/namespaces/shop/issuers/nowhere", "Ready", &reason,
                       &message) == "False";
  }));
  CHECK(reason == "ErrRegisterACMEAccount");
  CHECK(message.find("Failed to register ACME account: ") == 0);
  CHECK(message.find("127.0.0.1:1") != std::string::npos);
}

TEST_CASE("External Account Binding from a Secret registers with a CA that requires it") {
  const std::string mac_key = "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W";
  PebbleOptions options;
  options.eab_keys = {{"kid-1", mac_key}};
  options.always_valid = true;
  options.resolve_to_loopback = true;  // for certmill's self-check
  Pebble pebble(options);
  ControllerHarness h(resolving_with(pebble.dns_port), true, "127.0.0.1:0");
  h.apply(kNamespace);
  std::string reason, message;

  SECTION("with the binding") {
    h.apply(R"(apiVersion: v1
kind: Secret
metadata:
  name: eab-secret
  namespace: kube-system
data:
  secret: )" +
            base64_encode(mac_key) + "\n");
    h.apply(cluster_issuer_yaml(pebble, kIngressSolver, R"(    externalAccountBinding:
      keyID: kid-1
      keySecretRef:
        name: eab-secret
        key: secret
)"));
    REQUIRE(eventually([&] { return h.condition(kIssuer, "Ready", &reason, &message) == "True"; }));
    CHECK(reason == "ACMEAccountRegistered");
    h.apply(certificate_yaml("bound", "[bound.example.com]"));
    REQUIRE(wait_moving_clock(h, "bound", "Ready", "True"));
  }
  SECTION("without it, the CA's refusal is the reason") {
    h.apply(cluster_issuer_yaml(pebble, kIngressSolver));
    REQUIRE(
        eventually([&] { return h.condition(kIssuer, "Ready", &reason, &message) == "False"; }));
    INFO(message);
    CHECK(reason == "ErrRegisterACMEAccount");
    CHECK(message.find("externalAccountRequired") != std::string::npos);
  }
}

TEST_CASE("preferredChain picks Pebble's alternate root") {
  PebbleOptions options;
  options.always_valid = true;
  options.resolve_to_loopback = true;  // for certmill's self-check
  options.alternate_roots = 1;
  Pebble pebble(options);
  const std::string alternate = common_name(pebble.root_pem(1));
  ControllerHarness h(resolving_with(pebble.dns_port), true, "127.0.0.1:0");
  h.apply(kNamespace);
  h.apply(cluster_issuer_yaml(pebble, kIngressSolver, "    preferredChain: " + alternate + "\n"));
  h.apply(certificate_yaml("chains", "[chains.example.com]"));
  REQUIRE(wait_moving_clock(h, "chains", "Ready", "True"));
  ScratchDir dir;
  const std::string leaf = h.secret_data("shop", "chains-tls", "tls.crt");
  const auto with_alternate =
      openssl({"verify", "-CAfile", dir.write("alt.pem", pebble.root_pem(1)), "-untrusted",
               dir.write("chain.pem", leaf), dir.write("leaf.pem", leaf)});
  INFO(with_alternate.output);
  CHECK(with_alternate.status == 0);
  const auto with_default =
      openssl({"verify", "-CAfile", dir.write("default.pem", pebble.root_pem(0)), "-untrusted",
               dir.path("chain.pem"), dir.path("leaf.pem")});
  CHECK(with_default.status != 0);
}
