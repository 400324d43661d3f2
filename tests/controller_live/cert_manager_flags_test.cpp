// cert-manager's flags that change what certmill writes, end to end:
// --enable-certificate-owner-ref (the Secret is the Certificate's, put back
// with one write when removed, and deleted with it by the garbage
// collector), --copied-annotation-prefixes (what a CertificateRequest
// carries), --auto-certificate-annotations and
// --extra-certificate-annotations (what ingress-shim reads and copies).
#include <catch2/catch.hpp>

#include "tests/controller_live/harness.hpp"
#include "tests/controller_live/manifests.hpp"

using namespace certmill;
using namespace certmill::test;

namespace {

const std::string kSecret = "/api/v1/namespaces/owners/secrets/web-tls";
const std::string kCertificate = "/apis/cert-manager.io/v1/namespaces/owners/certificates/web";

// The Secret's ownerReferences, compact JSON; "" when it has none or is gone.
std::string owner_references(ControllerHarness& h) {
  auto secret = h.get(kSecret);
  if (!secret || !secret->at("metadata").as_object().contains("ownerReferences"))
    return "";
  return boost::json::serialize(secret->at("metadata").at("ownerReferences"));
}

std::string annotation(const boost::json::value& object, const std::string& key) {
  const auto& meta = object.at("metadata").as_object();
  if (!meta.contains("annotations") || !meta.at("annotations").as_object().contains(key))
    return "<absent>";
  return std::string(meta.at("annotations").at(key).as_string());
}

}  // namespace

TEST_CASE("with the owner-ref flag the Secret is the Certificate's and goes with it") {
  controller::ControllerConfig config;
  config.runtime.certificate_owner_ref = true;
  ControllerHarness h(config);
  h.apply(bootstrap_yaml("owners"));
  h.apply(leaf_yaml("owners", "web", "web.example.com"));
  REQUIRE(h.wait_ready("owners", "web"));
  const auto crt = h.get(kCertificate);
  REQUIRE(crt);
  const std::string uid(crt->at("metadata").at("uid").as_string());
  const std::string want = R"([{"apiVersion":"cert-manager.io/v1","kind":"Certificate",)"
                           R"("name":"web","uid":")" +
                           uid + R"(","controller":true,"blockOwnerDeletion":true}])";
  CHECK(owner_references(h) == want);
  REQUIRE(h.wait_settled(2));

  // Removed by hand, the reference is put back with one write.
  const long before = h.writes_in("owners");
  REQUIRE(h.send("PATCH", kSecret, R"({"metadata":{"ownerReferences":null}})",
                 "application/merge-patch+json")
              .status == 200);
  CHECK(eventually([&] { return owner_references(h) == want; }));
  REQUIRE(h.wait_settled(2));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(h.writes_in("owners") == before + 2);  // the test's patch, certmill's apply
  CHECK(h.secret_data("owners", "web-tls", "tls.crt").find("BEGIN CERTIFICATE") !=
        std::string::npos);

  // Deleting the Certificate deletes its Secret.
  REQUIRE(h.send("DELETE", kCertificate).status == 200);
  CHECK(eventually([&] { return !h.get(kSecret); }));
  // The CA's Secret, whose Certificate stays, stays too.
  CHECK(h.get("/api/v1/namespaces/owners/secrets/root-secret"));
}

TEST_CASE("without the owner-ref flag the Secret outlives its Certificate") {
  ControllerHarness h;
  h.apply(bootstrap_yaml("owners"));
  h.apply(leaf_yaml("owners", "web", "web.example.com"));
  REQUIRE(h.wait_ready("owners", "web"));
  CHECK(owner_references(h).empty());
  REQUIRE(h.send("DELETE", kCertificate).status == 200);
  CHECK(eventually([&] { return !h.get(kCertificate); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(h.get(kSecret));
}

TEST_CASE("requests carry the copied annotations, and ingress-shim reads the configured keys") {
  controller::ControllerConfig config;
  config.runtime.copied_annotation_prefixes = {"team.example.com/"};
  config.runtime.shim.issuer = {"my-ca-issuer", "Issuer", "cert-manager.io"};
  config.runtime.shim.auto_annotations = {"example.com/want-tls"};
  config.runtime.shim.extra_annotations = {"example.com/team"};
  ControllerHarness h(config);
  h.apply(bootstrap_yaml("owners"));
  std::string web = leaf_yaml("owners", "web", "web.example.com");
  web.replace(web.find("  namespace: owners\n"), 19,
              "  namespace: owners\n"
              "  annotations:\n"
              "    team.example.com/owner: shop\n"
              "    other.example.com/note: not-copied\n");
  h.apply(web);
  REQUIRE(h.wait_ready("owners", "web"));
  const auto request =
      h.get("/apis/cert-manager.io/v1/namespaces/owners/certificaterequests/web-1");
  REQUIRE(request);
  CHECK(annotation(*request, "team.example.com/owner") == "shop");
  CHECK(annotation(*request, "other.example.com/note") == "<absent>");
  CHECK(annotation(*request, "cert-manager.io/certificate-name") == "web");

  h.apply(R"(apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: owners
  annotations:
    example.com/want-tls: "true"
    example.com/team: payments
    example.com/other: not-copied
spec:
  tls:
  - hosts: [shop.example.com]
    secretName: shop-tls
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: legacy
  namespace: owners
  annotations:
    kubernetes.io/tls-acme: "true"
spec:
  tls:
  - hosts: [legacy.example.com]
    secretName: legacy-tls
)");
  REQUIRE(h.wait_ready("owners", "shop-tls"));
  const auto shop = h.get("/apis/cert-manager.io/v1/namespaces/owners/certificates/shop-tls");
  REQUIRE(shop);
  CHECK(annotation(*shop, "example.com/team") == "payments");
  CHECK(annotation(*shop, "example.com/other") == "<absent>");
  CHECK(shop->at("spec").at("issuerRef").at("name").as_string() == "my-ca-issuer");
  // tls-acme is not in the list, so that Ingress asks for nothing.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK_FALSE(h.get("/apis/cert-manager.io/v1/namespaces/owners/certificates/legacy-tls"));
}
