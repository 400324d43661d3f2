// ingress-shim and gateway-shim end to end: annotated objects get their
// Certificates and Secrets, a hand edit is put back, a removed TLS entry
// takes its Certificate away, and deleting the object deletes the rest.
#include <catch2/catch.hpp>

#include "tests/controller_live/harness.hpp"
#include "tests/controller_live/manifests.hpp"

using namespace certmill;
using namespace certmill::test;

namespace {

const std::string kCertificates = "/apis/cert-manager.io/v1/namespaces/shop/certificates/";

std::string ingress_yaml(const std::string& annotations) {
  return R"(apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
  annotations:
)" + annotations +
         R"(spec:
  ingressClassName: nginx
  tls:
  - hosts: [shop.example.com, www.shop.example.com]
    secretName: shop-tls
  - hosts: [api.shop.example.com]
    secretName: api-tls
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: shop
            port:
              number: 80
)";
}

std::vector<std::string> dns_names(ControllerHarness& h, const std::string& name) {
  std::vector<std::string> names;
  auto crt = h.get(kCertificates + name);
  if (!crt)
    return names;
  for (const auto& n : crt->at("spec").at("dnsNames").as_array())
    names.emplace_back(n.as_string());
  return names;
}

}  // namespace

TEST_CASE("an annotated Ingress gets one Ready Certificate per TLS entry, kept as it asks") {
  ControllerHarness h;
  h.apply(bootstrap_yaml("shop"));
  h.apply(
      ingress_yaml("    cert-manager.io/issuer: my-ca-issuer\n"
                   "    cert-manager.io/duration: 720h\n"
                   "    cert-manager.io/private-key-algorithm: ECDSA\n"));
  REQUIRE(h.wait_ready("shop", "shop-tls"));
  REQUIRE(h.wait_ready("shop", "api-tls"));
  CHECK(dns_names(h, "shop-tls") ==
        std::vector<std::string>{"shop.example.com", "www.shop.example.com"});
  auto crt = h.get(kCertificates + "shop-tls");
  CHECK(crt->at("spec").at("duration").as_string() == "720h");
  const auto& owner = crt->at("metadata").at("ownerReferences").at(0);
  CHECK(owner.at("kind").as_string() == "Ingress");
  CHECK(owner.at("name").as_string() == "shop");
  CHECK(h.secret_data("shop", "shop-tls", "tls.crt").find("BEGIN CERTIFICATE") !=
        std::string::npos);

  // A hand edit of the generated Certificate is put back.
  REQUIRE(h.send("PATCH", kCertificates + "shop-tls", R"({"spec":{"dnsNames":["evil.example"]}})",
                 "application/merge-patch+json")
              .status == 200);
  CHECK(eventually([&] {
    return dns_names(h, "shop-tls") ==
           std::vector<std::string>{"shop.example.com", "www.shop.example.com"};
  }));

  // Dropping a TLS entry deletes its Certificate.
  REQUIRE(h.send("PATCH", "/apis/networking.k8s.io/v1/namespaces/shop/ingresses/shop",
                 R"({"spec":{"tls":[{"hosts":["shop.example.com"],"secretName":"shop-tls"}]}})",
                 "application/merge-patch+json")
              .status == 200);
  CHECK(eventually([&] { return !h.get(kCertificates + "api-tls"); }));
  CHECK(eventually(
      [&] { return dns_names(h, "shop-tls") == std::vector<std::string>{"shop.example.com"}; }));

  // Deleting the Ingress deletes the Certificates it owns.
  REQUIRE(h.send("DELETE", "/apis/networking.k8s.io/v1/namespaces/shop/ingresses/shop").status ==
          200);
  CHECK(eventually([&] { return !h.get(kCertificates + "shop-tls"); }));
}

TEST_CASE("an annotated Gateway gets a Certificate per listener certificateRef") {
  controller::ControllerConfig config;
  config.caches.gateways = true;
  ControllerHarness h(config);
  h.apply(bootstrap_yaml("shop"));
  h.apply(R"(apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: edge
  namespace: shop
  annotations:
    cert-manager.io/issuer: my-ca-issuer
spec:
  gatewayClassName: envoy
  listeners:
  - name: https
    hostname: edge.example.com
    port: 443
    protocol: HTTPS
    tls:
      mode: Terminate
      certificateRefs:
      - name: edge-tls
  - name: http
    hostname: edge.example.com
    port: 80
    protocol: HTTP
)");
  REQUIRE(h.wait_ready("shop", "edge-tls"));
  CHECK(dns_names(h, "edge-tls") == std::vector<std::string>{"edge.example.com"});
  auto crt = h.get(kCertificates + "edge-tls");
  CHECK(crt->at("metadata").at("ownerReferences").at(0).at("kind").as_string() == "Gateway");
}

TEST_CASE("tls-acme with a default issuer, and an Ingress without annotations is left alone") {
  controller::ControllerConfig config;
  config.runtime.shim.issuer = {"my-ca-issuer", "Issuer", "cert-manager.io"};
  ControllerHarness h(config);
  h.apply(bootstrap_yaml("shop"));
  h.apply(ingress_yaml("    kubernetes.io/tls-acme: \"true\"\n"));
  REQUIRE(h.wait_ready("shop", "shop-tls"));
  auto plain = ingress_yaml("    example.com/unrelated: \"x\"\n");
  plain.replace(plain.find("name: shop\n"), 11, "name: plain\n");
  plain.replace(plain.find("secretName: shop-tls"), 20, "secretName: plain-tls");
  plain.replace(plain.find("secretName: api-tls"), 19, "secretName: plain2-tls");
  h.apply(plain);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK_FALSE(h.get(kCertificates + "plain-tls"));
}
