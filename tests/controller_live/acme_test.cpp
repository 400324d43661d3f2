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
#include "tests/controller_live/harness.hpp"
#include "tests/support/openssl_cli.hpp"
#include "tests/support/pebble.hpp"
#include "tests/support/scripted_http.hpp"

using namespace certmill;
using namespace certmill::test;

namespace {

// `extra`: more spec.acme fields, indented by four spaces.
std::string cluster_issuer_yaml(const Pebble& pebble, const std::string& solvers,
                                const std::string& extra = {}) {
  return R"(apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata:
  name: letsencrypt-staging
spec:
  acme:
    server: )" +
         pebble.directory_url +
         R"(
    email: Ops@Example.com
    caBundle: )" +
         base64_encode(pebble.tls_certificate_pem()) + R"(
    privateKeySecretRef:
      name: letsencrypt-staging
)" + extra +
         R"(    solvers:
)" + solvers;
}

const std::string kNamespace = R"(apiVersion: v1
kind: Namespace
metadata:
  name: shop
)";

const std::string kIngressSolver = R"(    - http01:
        ingress:
          ingressClassName: nginx
)";

std::string certificate_yaml(const std::string& name, const std::string& dns_names) {
  return R"(apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: )" +
         name + R"(
  namespace: shop
spec:
  secretName: )" +
         name +
         R"(-tls
  dnsNames: )" +
         dns_names +
         R"(
  privateKey:
    algorithm: ECDSA
  issuerRef:
    name: letsencrypt-staging
    kind: ClusterIssuer
)";
}

// Waits for the condition to have `status` while moving the fake clock a
// second at a time.
bool wait_moving_clock(ControllerHarness& h, const std::string& name, const std::string& type,
                       const std::string& status, std::string* reason = nullptr,
                       std::string* message = nullptr) {
  const std::string path = "/apis/cert-manager.io/v1/namespaces/shop/certificates/" + name;
  return eventually_moving_clock(
      h, [&] { return h.condition(path, type, reason, message) == status; });
}

std::vector<boost::json::value> items(ControllerHarness& h, const std::string& resource) {
  auto list = h.get("/apis/acme.cert-manager.io/v1/namespaces/shop/" + resource);
  if (!list)
    throw std::runtime_error("no " + resource + " collection");
  const auto& array = list->at("items").as_array();
  return {array.begin(), array.end()};
}

const std::string kIssuer = "/apis/cert-manager.io/v1/clusterissuers/letsencrypt-staging";

std::string common_name(const std::string& pem) {
  auto cert = pki::parse_certificate(pem, "Pebble root");
  REQUIRE(cert.ok());
  return cert->info().subject.common_name;
}

// How many times kube-sim was asked to `verb` a `resource`.
long requests(ControllerHarness& h, const std::string& verb, const std::string& resource) {
  auto stats = h.get("/kube-sim/stats");
  long count = 0;
  for (const auto& r : stats->at("requests").as_array()) {
    if (r.at("verb").as_string() == verb && r.at("resource").as_string() == resource)
      count += r.at("count").to_number<long>();
  }
  return count;
}

// The scrape's lines that contain every one of `parts`.
std::vector<std::string> scraped(const std::string& text, const std::vector<std::string>& parts) {
  std::vector<std::string> out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (std::all_of(parts.begin(), parts.end(),
                    [&](const std::string& part) { return line.find(part) != std::string::npos; }))
      out.push_back(line);
  }
  return out;
}

// A Challenge's certmanager_certificate_challenge_status lines that contain
// `more` too.
std::vector<std::string> challenge_series(ControllerHarness& h, const std::string& name,
                                          std::vector<std::string> more = {}) {
  more.push_back("certmanager_certificate_challenge_status{");
  more.push_back("name=\"" + name + "\"");
  return scraped(h.scrape(), more);
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

// A Certificate `name` ([name.example.com]) whose Challenge is held pending:
// Pebble passes anything it is asked to validate, but the self-check asks a
// route that answers 404 until the test says otherwise, as an Ingress
// controller still loading the solver's route would.
struct HeldChallenge {
  explicit HeldChallenge(const std::string& name)
      : pebble(PebbleOptions{.always_valid = true, .resolve_to_loopback = true}),
        route(http_reply(404, "default backend - 404")),
        h(config(pebble, route), true, "127.0.0.1:0") {
    h.apply(kNamespace);
    h.apply(cluster_issuer_yaml(pebble, kIngressSolver));
    REQUIRE(eventually([&] { return h.condition(kIssuer, "Ready") == "True"; }));
    h.apply(certificate_yaml(name, "[" + name + ".example.com]"));
  }
  static controller::ControllerConfig config(const Pebble& pebble, const ScriptedHttp& route) {
    auto c = resolving_with(pebble.dns_port);
    c.runtime.http01_self_check.port = route.port();
    return c;
  }
  Pebble pebble;
  ScriptedHttp route;
  ControllerHarness h;
};

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

TEST_CASE("a Challenge waits with cert-manager's reason until the self-check passes") {
  HeldChallenge held("late");
  ScriptedHttp& route = held.route;
  ControllerHarness& h = held.h;

  const std::string waiting =
      "Waiting for HTTP-01 challenge propagation: wrong status code '404', expected '200' from "
      "http://late.example.com:" +
      std::to_string(route.port()) + "/.well-known/acme-challenge/";
  // The first self-check follows the presentation without waiting on the
  // clock, so the clock stands still here: moving it could run out the
  // self-check's ten minutes before a slow machine lists the Challenge.
  std::string key;
  boost::json::value last_status;
  const bool waiting_seen = eventually([&] {
    const auto challenges = items(h, "challenges");
    // A Challenge is created first and given its status in a second write.
    if (challenges.size() != 1 || !challenges[0].as_object().contains("status"))
      return false;
    last_status = challenges[0].at("status");
    const auto* reason = last_status.as_object().if_contains("reason");
    if (reason == nullptr || !std::string(reason->as_string()).starts_with(waiting))
      return false;
    key = std::string(challenges[0].at("spec").at("key").as_string());
    return last_status.at("presented") == true && last_status.at("processing") == true &&
           last_status.at("state") == "pending";
  });
  INFO("the Challenge's status: " << boost::json::serialize(last_status));
  REQUIRE(waiting_seen);
  // A few more checks fail the same way: the Challenge is not rewritten for
  // each, and the CA was never asked (it would have passed it at once).
  const long writes = requests(h, "update", "challenges");
  for (int i = 0; i < 30; ++i) {
    h.clock().advance(std::chrono::seconds(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(route.heads().size() >= 3);
  CHECK(requests(h, "update", "challenges") == writes);
  CHECK(h.condition("/apis/cert-manager.io/v1/namespaces/shop/certificates/late", "Ready") !=
        "True");
  CHECK(items(h, "challenges").size() == 1);

  // The route starts answering: the next check passes and the order goes on.
  route.reply_with(http_reply(200, key));
  std::string reason, message;
  REQUIRE(wait_moving_clock(h, "late", "Ready", "True", &reason, &message));
  CHECK(items(h, "challenges").empty());
  CHECK(items(h, "orders").at(0).at("status").at("state") == "valid");
}

TEST_CASE("no more challenges are presented at once than --max-concurrent-challenges allows") {
  PebbleOptions options;
  options.resolve_to_loopback = true;
  Pebble pebble(options);
  controller::ControllerConfig config = resolving_with(pebble.dns_port);
  // One namespace is one shard: its share of the limit is all of it.
  config.runtime.max_challenges = 1;
  ControllerHarness h(config, true, "127.0.0.1:" + std::to_string(pebble.http_port));
  h.apply(kNamespace);
  h.apply(cluster_issuer_yaml(pebble, kIngressSolver));
  REQUIRE(eventually([&] { return h.condition(kIssuer, "Ready") == "True"; }));
  const std::vector<std::string> names = {"one", "two", "three"};
  for (const std::string& name : names)
    h.apply(certificate_yaml(name, "[" + name + ".shop.example.com]"));
  // Sampled while the orders run: the answers served and the Challenge
  // objects, of which the limit allows one at a time.
  std::size_t most_answers = 0, most_challenges = 0;
  REQUIRE(eventually_moving_clock(h, [&] {
    most_answers = std::max(most_answers, h.controller().http01().size());
    most_challenges = std::max(most_challenges, items(h, "challenges").size());
    for (const std::string& name : names) {
      if (h.condition("/apis/cert-manager.io/v1/namespaces/shop/certificates/" + name, "Ready") !=
          "True")
        return false;
    }
    return true;
  }));
  CHECK(most_answers == 1);
  CHECK(most_challenges == 1);
  CHECK(h.controller().http01().size() == 0);
}

TEST_CASE("ACME requests and Challenges show in cert-manager's metrics and Challenge Events") {
  HeldChallenge held("counted");
  Pebble& pebble = held.pebble;
  ScriptedHttp& route = held.route;
  ControllerHarness& h = held.h;

  // While the Challenge waits: eight series, pending the one at 1, labelled
  // with its domain, type, processing and the reason it waits.
  std::string name, key;
  std::vector<std::string> series;
  const bool pending_seen = eventually([&] {
    const auto challenges = items(h, "challenges");
    if (challenges.size() != 1)
      return false;
    name = std::string(challenges[0].at("metadata").at("name").as_string());
    key = std::string(challenges[0].at("spec").at("key").as_string());
    series = challenge_series(h, name, {"reason=\"Waiting for HTTP-01 challenge propagation: "});
    return series.size() == 8;
  });
  INFO("challenge " << name << "; its series:\n"
                    << [&] {
                         std::string all;
                         for (const auto& line : series)
                           all += line + "\n";
                         return all;
                       }());
  REQUIRE(pending_seen);
  std::size_t ones = 0;
  for (const std::string& line : series) {
    CHECK(line.find("domain=\"counted.example.com\"") != std::string::npos);
    CHECK(line.find("namespace=\"shop\"") != std::string::npos);
    CHECK(line.find("processing=\"true\"") != std::string::npos);
    CHECK(line.find("type=\"HTTP-01\"") != std::string::npos);
    if (line.ends_with("} 1")) {
      ++ones;
      CHECK(line.find("status=\"pending\"") != std::string::npos);
    }
  }
  CHECK(ones == 1);
  for (const char* status : {"ready", "valid", "errored", "expired", "invalid", "processing", ""})
    CHECK(challenge_series(h, name, {"status=\"" + std::string(status) + "\"", "} 0"}).size() == 1);

  // The route answers: the Challenge is solved and removed, its series too.
  route.reply_with(http_reply(200, key));
  REQUIRE(wait_moving_clock(h, "counted", "Ready", "True"));
  CHECK(items(h, "challenges").empty());
  CHECK(challenge_series(h, name).empty());

  // The Events cert-manager records on a Challenge it solves, from its
  // challenges controller.
  const auto events = h.events_for("shop", name);
  REQUIRE(events.size() == 3);
  CHECK(events[0] == "Normal Started: Challenge scheduled for processing");
  CHECK(events[1] == "Normal Presented: Presented challenge using HTTP-01 challenge mechanism");
  CHECK(events[2] ==
        "Normal DomainVerified: Domain \"counted.example.com\" verified with \"HTTP-01\" "
        "validation");
  auto all_events = h.get("/api/v1/namespaces/shop/events");
  REQUIRE(all_events);
  std::size_t from_challenges = 0;
  for (const auto& event : all_events->at("items").as_array()) {
    if (event.at("involvedObject").at("name").as_string() == name) {
      CHECK(event.at("involvedObject").at("kind") == "Challenge");
      CHECK(event.at("source").at("component") == "cert-manager-challenges");
      ++from_challenges;
    }
  }
  CHECK(from_challenges == 3);

  // Every request to Pebble counted and timed, labelled as cert-manager
  // labels them: the directory GET, and the newOrder POST Pebble answered
  // with 201 Created.
  const std::string text = h.scrape();
  INFO(text);
  // "https://127.0.0.1:<port>/dir": the host label is the URL's host:port.
  const std::string host =
      "host=\"" + pebble.directory_url.substr(8, pebble.directory_url.size() - 12) + "\"";
  CHECK(text.find("# TYPE certmanager_http_acme_client_request_count counter") !=
        std::string::npos);
  CHECK(text.find("# TYPE certmanager_http_acme_client_request_duration_seconds summary") !=
        std::string::npos);
  const std::string directory =
      host + ",method=\"GET\",path=\"/dir\",scheme=\"https\",status=\"200\"}";
  const std::string new_order =
      host + ",method=\"POST\",path=\"/order-plz\",scheme=\"https\",status=\"201\"}";
  const auto counted = scraped(text, {"certmanager_http_acme_client_request_count{", new_order});
  REQUIRE(counted.size() == 1);
  CHECK(std::stod(counted[0].substr(counted[0].rfind(' ') + 1)) >= 1);
  CHECK(scraped(text, {"certmanager_http_acme_client_request_count{", directory}).size() == 1);
  const std::string duration = "certmanager_http_acme_client_request_duration_seconds";
  CHECK(scraped(text, {duration + "_count{", new_order}).size() == 1);
  CHECK(scraped(text, {duration + "_sum{", new_order}).size() == 1);
  const std::string order_quantile =
      duration + "{" + new_order.substr(0, new_order.size() - 1) + ",quantile=";
  CHECK(scraped(text, {order_quantile + "\"0.5\"}"}).size() == 1);
  CHECK(scraped(text, {order_quantile + "\"0.9\"}"}).size() == 1);
  CHECK(scraped(text, {order_quantile + "\"0.99\"}"}).size() == 1);
  // The nonce HEAD and the POSTs that read the order are counted too.
  CHECK(scraped(text, {"certmanager_http_acme_client_request_count{", "method=\"HEAD\"",
                       "path=\"/nonce-plz\""})
            .size() == 1);
}
