// gateway-shim: an annotated Gateway → one Certificate per referenced Secret
// of its HTTPS and TLS listeners, hostnames as dnsNames.
#include "controller/gateway_shim.hpp"

#include <catch2/catch.hpp>

using namespace certmill;
using namespace certmill::controller;

namespace {

api::Listener listener(std::string name, std::string hostname, std::string secret,
                       std::string protocol = "HTTPS") {
  api::Listener l;
  l.name = std::move(name);
  l.hostname = std::move(hostname);
  l.port = 443;
  l.protocol = std::move(protocol);
  l.tls = api::GatewayTLSConfig{"Terminate", {{"", "Secret", std::move(secret), ""}}};
  return l;
}

api::Gateway gateway() {
  api::Gateway gw;
  gw.metadata.namespace_ = "edge";
  gw.metadata.name = "public";
  gw.metadata.uid = "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d";
  gw.metadata.annotations = {{"cert-manager.io/issuer", "ca"}};
  gw.spec.gateway_class_name = "envoy";
  gw.spec.listeners = {listener("shop", "shop.example.com", "shop-tls"),
                       listener("www", "www.example.com", "shop-tls"),
                       listener("api", "api.example.com", "api-tls", "TLS"),
                       listener("plain", "plain.example.com", "plain-tls", "HTTP")};
  return gw;
}

}  // namespace

TEST_CASE("a Gateway gets one Certificate per referenced Secret, hosts merged") {
  const ShimResult r = gateway_certificates(gateway(), {});
  CHECK(r.managed);
  CHECK(r.valid);
  CHECK(r.events.empty());
  REQUIRE(r.certificates.size() == 2);
  const api::Certificate& shop = r.certificates[0];
  CHECK(shop.metadata.name == "shop-tls");
  CHECK(shop.metadata.namespace_ == "edge");
  CHECK(shop.spec.dns_names == std::vector<std::string>{"shop.example.com", "www.example.com"});
  CHECK(shop.spec.issuer_ref == api::IssuerRef{"ca", "Issuer", "cert-manager.io"});
  CHECK(shop.metadata.owner_references ==
        std::vector<api::OwnerReference>{{"gateway.networking.k8s.io/v1", "Gateway", "public",
                                          "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d", true, true}});
  CHECK(r.certificates[1].spec.dns_names == std::vector<std::string>{"api.example.com"});
}

TEST_CASE("gateway-shim honours the same annotations as ingress-shim") {
  api::Gateway gw = gateway();
  gw.metadata.annotations["cert-manager.io/duration"] = "720h";
  gw.metadata.annotations["cert-manager.io/private-key-algorithm"] = "Ed25519";
  const ShimResult r = gateway_certificates(gw, {});
  REQUIRE(r.certificates.size() == 2);
  CHECK(r.certificates[0].spec.duration == std::chrono::hours(720));
  CHECK(r.certificates[0].spec.private_key->algorithm == api::PrivateKeyAlgorithm::Ed25519);

  gw.metadata.annotations["cert-manager.io/duration"] = "90 days";
  const ShimResult bad = gateway_certificates(gw, {});
  CHECK_FALSE(bad.valid);
  CHECK(bad.certificates.empty());
  REQUIRE(bad.events.size() == 1);
  CHECK(bad.events[0].reason == "BadConfig");
}

TEST_CASE("a listener cert-manager cannot serve is skipped with the field errors") {
  struct Row {
    const char* behaviour;
    void (*edit)(api::Listener&);
    const char* message;
  };
  const Row rows[] = {
      {"no hostname", [](api::Listener& l) { l.hostname.clear(); },
       "Skipped a listener block: spec.listeners[0].hostname: Required value: the hostname cannot "
       "be empty"},
      {"no TLS block", [](api::Listener& l) { l.tls.reset(); },
       "Skipped a listener block: spec.listeners[0].tls: Required value: the TLS block cannot be "
       "empty"},
      {"no certificateRefs", [](api::Listener& l) { l.tls->certificate_refs.clear(); },
       "Skipped a listener block: spec.listeners[0].tls.certificateRef: Required value: listener "
       "has no certificateRefs"},
      {"a reference to another group",
       [](api::Listener& l) { l.tls->certificate_refs[0].group = "example.com"; },
       "Skipped a listener block: spec.listeners[0].tls.certificateRef[0].group: Unsupported "
       "value: \"example.com\": supported values: \"core\", \"\""},
      {"a reference to another namespace",
       [](api::Listener& l) { l.tls->certificate_refs[0].namespace_ = "other"; },
       "Skipped a listener block: spec.listeners[0].tls.certificateRef[0].namespace: Invalid "
       "value: \"other\": cross-namespace secret references are not allowed in listeners"},
      {"TLS passthrough", [](api::Listener& l) { l.tls->mode = "Passthrough"; },
       "Skipped a listener block: spec.listeners[0].tls.mode: Unsupported value: \"Passthrough\": "
       "supported values: \"Terminate\""},
      {"two problems at once",
       [](api::Listener& l) {
         l.hostname.clear();
         l.tls->mode = "Passthrough";
       },
       "Skipped a listener block: [spec.listeners[0].hostname: Required value: the hostname "
       "cannot be empty, spec.listeners[0].tls.mode: Unsupported value: \"Passthrough\": "
       "supported values: \"Terminate\"]"},
  };
  for (const Row& row : rows) {
    api::Gateway gw = gateway();
    row.edit(gw.spec.listeners[0]);
    const ShimResult r = gateway_certificates(gw, {});
    INFO(row.behaviour);
    CHECK(r.valid);
    REQUIRE(r.events.size() == 1);
    CHECK(r.events[0].message == row.message);
    // The other listeners still get their Certificates.
    CHECK(r.certificates.size() == 2);
  }
}

TEST_CASE("kubernetes.io/tls-acme is for Ingresses only") {
  api::Gateway gw = gateway();
  gw.metadata.annotations = {{"kubernetes.io/tls-acme", "true"}};
  const ShimResult r = gateway_certificates(gw, {{"letsencrypt", "ClusterIssuer", ""}});
  CHECK_FALSE(r.managed);
  CHECK(r.certificates.empty());
  // So is any --auto-certificate-annotations key, as in cert-manager.
  ShimDefaults defaults{{"letsencrypt", "ClusterIssuer", ""}};
  defaults.auto_annotations = {"example.com/want-tls"};
  gw.metadata.annotations = {{"example.com/want-tls", "true"}};
  CHECK_FALSE(gateway_certificates(gw, defaults).managed);
}
