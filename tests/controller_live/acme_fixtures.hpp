// What the ACME end-to-end tests share: cert-manager's manifests for a
// ClusterIssuer pointed at Pebble and for Certificates in namespace "shop",
// reading Orders, Challenges, kube-sim's request counts and /metrics lines,
// and a Certificate whose Challenge is held pending. Header-only.
#pragma once

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "core/base64.hpp"
#include "tests/controller_live/harness.hpp"
#include "tests/support/pebble.hpp"
#include "tests/support/scripted_http.hpp"

namespace certmill::test {

// `extra`: more spec.acme fields, indented by four spaces.
inline std::string cluster_issuer_yaml(const Pebble& pebble, const std::string& solvers,
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

inline const std::string kNamespace = R"(apiVersion: v1
kind: Namespace
metadata:
  name: shop
)";

inline const std::string kIngressSolver = R"(    - http01:
        ingress:
          ingressClassName: nginx
)";

// An ECDSA Certificate in "shop" with its Secret `name`-tls, from the
// ClusterIssuer above or the issuer `issuer_ref` names (YAML lines under
// issuerRef, indented by four spaces).
inline std::string certificate_yaml(
    const std::string& name, const std::string& dns_names,
    const std::string& issuer_ref = "    name: letsencrypt-staging\n    kind: ClusterIssuer\n") {
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
)" + issuer_ref;
}

// Waits for the condition to have `status` while moving the fake clock a
// second at a time.
inline bool wait_moving_clock(ControllerHarness& h, const std::string& name,
                              const std::string& type, const std::string& status,
                              std::string* reason = nullptr, std::string* message = nullptr) {
  const std::string path = "/apis/cert-manager.io/v1/namespaces/shop/certificates/" + name;
  return eventually_moving_clock(
      h, [&] { return h.condition(path, type, reason, message) == status; });
}

inline std::vector<boost::json::value> items(ControllerHarness& h, const std::string& resource) {
  auto list = h.get("/apis/acme.cert-manager.io/v1/namespaces/shop/" + resource);
  if (!list)
    throw std::runtime_error("no " + resource + " collection");
  const auto& array = list->at("items").as_array();
  return {array.begin(), array.end()};
}

inline const std::string kIssuer = "/apis/cert-manager.io/v1/clusterissuers/letsencrypt-staging";

// How many times kube-sim was asked to `verb` a `resource`.
inline long requests(ControllerHarness& h, const std::string& verb, const std::string& resource) {
  auto stats = h.get("/kube-sim/stats");
  long count = 0;
  for (const auto& r : stats->at("requests").as_array()) {
    if (r.at("verb").as_string() == verb && r.at("resource").as_string() == resource)
      count += r.at("count").to_number<long>();
  }
  return count;
}

// The scrape's lines that contain every one of `parts`.
inline std::vector<std::string> scraped(const std::string& text,
                                        const std::vector<std::string>& parts) {
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
inline std::vector<std::string> challenge_series(ControllerHarness& h, const std::string& name,
                                                 std::vector<std::string> more = {}) {
  more.push_back("certmanager_certificate_challenge_status{");
  more.push_back("name=\"" + name + "\"");
  return scraped(h.scrape(), more);
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

}  // namespace certmill::test
