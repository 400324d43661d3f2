// Bad input end to end: each mistake gives Ready=False with a reason and a
// message and an Event, and holds up no other Certificate.
#include <catch2/catch.hpp>

#include "tests/controller_live/harness.hpp"
#include "tests/controller_live/manifests.hpp"

using namespace certmill;
using namespace certmill::test;

namespace {

const std::string kCertificates = "/apis/cert-manager.io/v1/namespaces/apps/certificates/";

bool has_event(ControllerHarness& h, const std::string& name, const std::string& prefix) {
  return eventually([&] {
    const auto events = h.events_for("apps", name);
    return std::any_of(events.begin(), events.end(),
                       [&](const std::string& e) { return e.starts_with(prefix); });
  });
}

}  // namespace

TEST_CASE("broken Certificates and issuers say what is wrong and hold up nobody") {
  ControllerHarness h;
  h.apply(bootstrap_yaml("apps"));
  h.apply(leaf_yaml("apps", "healthy", "healthy.example.com"));
  // An issuer that does not exist.
  std::string missing = leaf_yaml("apps", "orphan", "orphan.example.com");
  missing.replace(missing.find("name: my-ca-issuer"), 18, "name: no-such-issr");
  h.apply(missing);
  // An issuer kind that is not one.
  h.apply(leaf_yaml("apps", "odd-kind", "odd.example.com", "    kind: Secret\n"));
  // A CA issuer whose Secret holds a leaf, not a CA.
  h.apply(R"(apiVersion: cert-manager.io/v1
kind: Issuer
metadata:
  name: not-a-ca
  namespace: apps
spec:
  ca:
    secretName: healthy-tls
)");
  std::string by_leaf = leaf_yaml("apps", "by-leaf", "by-leaf.example.com");
  by_leaf.replace(by_leaf.find("name: my-ca-issuer"), 18, "name: not-a-ca");
  h.apply(by_leaf);
  // Two Certificates claiming one Secret.
  std::string twin_a = leaf_yaml("apps", "twin-a", "twin.example.com");
  std::string twin_b = leaf_yaml("apps", "twin-b", "twin.example.com");
  twin_a.replace(twin_a.find("secretName: twin-a-tls"), 22, "secretName: shared-tls");
  twin_b.replace(twin_b.find("secretName: twin-b-tls"), 22, "secretName: shared-tls");
  h.apply(twin_a);
  h.apply(twin_b);
  // An Ingress with a malformed duration annotation.
  h.apply(R"(apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: bad-duration
  namespace: apps
  annotations:
    cert-manager.io/issuer: my-ca-issuer
    cert-manager.io/duration: "ninety days"
spec:
  tls:
  - hosts: [bad.example.com]
    secretName: bad-duration-tls
)");

  REQUIRE(h.wait_ready("apps", "healthy"));
  std::string message;

  REQUIRE(h.wait_ready("apps", "orphan", "False", "IssuerNotFound"));
  h.condition(kCertificates + "orphan", "Ready", nullptr, &message);
  CHECK(message.find("no-such-issr") != std::string::npos);
  CHECK(has_event(h, "orphan", "Warning IssuerNotFound: "));

  REQUIRE(h.wait_ready("apps", "odd-kind", "False", "InvalidIssuerKind"));
  CHECK(has_event(h, "odd-kind", "Warning InvalidIssuerKind: "));

  std::string reason;
  CHECK(eventually([&] {
    return h.condition("/apis/cert-manager.io/v1/namespaces/apps/issuers/not-a-ca", "Ready",
                       &reason, &message) == "False";
  }));
  CHECK(reason == "ErrInvalidKeyPair");
  CHECK(message.find("not a CA") != std::string::npos);
  CHECK(has_event(h, "not-a-ca", "Warning ErrInvalidKeyPair: "));
  REQUIRE(h.wait_ready("apps", "by-leaf", "False", "IssuerNotReady"));

  REQUIRE(h.wait_ready("apps", "twin-a", "False", "DuplicateSecretName"));
  REQUIRE(h.wait_ready("apps", "twin-b", "False", "DuplicateSecretName"));
  h.condition(kCertificates + "twin-a", "Ready", nullptr, &message);
  CHECK(message.find("twin-b") != std::string::npos);
  CHECK(has_event(h, "twin-a", "Warning DuplicateSecretName: "));
  CHECK_FALSE(h.get("/api/v1/namespaces/apps/secrets/shared-tls"));

  CHECK(has_event(h, "bad-duration", "Warning BadConfig: "));
  CHECK_FALSE(h.get(kCertificates + "bad-duration-tls"));

  // Removing one twin lets the other be issued.
  REQUIRE(h.send("DELETE", kCertificates + "twin-b").status == 200);
  CHECK(h.wait_ready("apps", "twin-a"));
}
