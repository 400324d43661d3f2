// What lands in the Secret, end to end: secretTemplate labels and annotations
// (kept in line without a new certificate), the private key kept or rotated
// per rotationPolicy, additional output formats, and a CA's name constraints
// and otherNames in the certificate.
#include <catch2/catch.hpp>
#include <openssl/x509v3.h>

#include "core/pki/x509.hpp"
#include "tests/controller_live/harness.hpp"
#include "tests/controller_live/manifests.hpp"

using namespace certmill;
using namespace certmill::test;

namespace {

const std::string kCertificates = "/apis/cert-manager.io/v1/namespaces/apps/certificates/";
const std::string kSecrets = "/api/v1/namespaces/apps/secrets/";

std::string metadata(ControllerHarness& h, const std::string& secret, const char* kind,
                     const char* key) {
  auto s = h.get(kSecrets + secret);
  if (!s)
    return "";
  const auto* map = s->at("metadata").as_object().if_contains(kind);
  const auto* value = map ? map->as_object().if_contains(key) : nullptr;
  return value ? std::string(value->as_string()) : "";
}

void edit_dns_names(ControllerHarness& h, const std::string& name) {
  REQUIRE(h.send("PATCH", kCertificates + name,
                 R"({"spec":{"dnsNames":["web.example.com","new.example.com"]}})",
                 "application/merge-patch+json")
              .status == 200);
}

}  // namespace

TEST_CASE("secretTemplate lands on the Secret and follows edits without re-issuance") {
  ControllerHarness h;
  h.apply(bootstrap_yaml("apps"));
  h.apply(leaf_yaml("apps", "web", "web.example.com",
                    "  secretTemplate:\n"
                    "    labels:\n"
                    "      team: payments\n"
                    "    annotations:\n"
                    "      reflector.example/allowed: \"true\"\n"));
  REQUIRE(h.wait_ready("apps", "web"));
  CHECK(metadata(h, "web-tls", "labels", "team") == "payments");
  CHECK(metadata(h, "web-tls", "annotations", "reflector.example/allowed") == "true");
  CHECK(metadata(h, "web-tls", "labels", "controller.cert-manager.io/fao") == "true");
  CHECK(metadata(h, "web-tls", "annotations", "cert-manager.io/certificate-name") == "web");
  const std::string crt = h.secret_data("apps", "web-tls", "tls.crt");

  REQUIRE(h.send("PATCH", kCertificates + "web",
                 R"({"spec":{"secretTemplate":{"labels":{"team":"billing"}}}})",
                 "application/merge-patch+json")
              .status == 200);
  CHECK(eventually([&] { return metadata(h, "web-tls", "labels", "team") == "billing"; }));
  CHECK(h.wait_ready("apps", "web"));
  CHECK(h.revision("apps", "web") == 1);
  CHECK(h.secret_data("apps", "web-tls", "tls.crt") == crt);
}

TEST_CASE("rotationPolicy Never keeps the key across re-issuance: Always replaces it") {
  ControllerHarness h;
  h.apply(bootstrap_yaml("apps"));
  auto never = leaf_yaml("apps", "kept", "web.example.com");
  never.replace(never.find("    algorithm: ECDSA\n"), 21,
                "    algorithm: ECDSA\n    rotationPolicy: Never\n");
  h.apply(never);
  h.apply(leaf_yaml("apps", "rotated", "web.example.com"));
  REQUIRE(h.wait_ready("apps", "kept"));
  REQUIRE(h.wait_ready("apps", "rotated"));
  const std::string kept_key = h.secret_data("apps", "kept-tls", "tls.key");
  const std::string rotated_key = h.secret_data("apps", "rotated-tls", "tls.key");

  edit_dns_names(h, "kept");
  edit_dns_names(h, "rotated");
  REQUIRE(eventually(
      [&] { return h.revision("apps", "kept") == 2 && h.revision("apps", "rotated") == 2; }));
  REQUIRE(h.wait_ready("apps", "kept"));
  REQUIRE(h.wait_ready("apps", "rotated"));
  CHECK(h.secret_data("apps", "kept-tls", "tls.key") == kept_key);
  CHECK(h.secret_data("apps", "rotated-tls", "tls.key") != rotated_key);
}

TEST_CASE("additionalOutputFormats add tls-combined.pem and key.der") {
  ControllerHarness h;
  h.apply(bootstrap_yaml("apps"));
  h.apply(leaf_yaml("apps", "web", "web.example.com",
                    "  additionalOutputFormats:\n"
                    "  - type: CombinedPEM\n"
                    "  - type: DER\n"));
  REQUIRE(h.wait_ready("apps", "web"));
  const std::string key = h.secret_data("apps", "web-tls", "tls.key");
  const std::string chain = h.secret_data("apps", "web-tls", "tls.crt");
  CHECK(h.secret_data("apps", "web-tls", "tls-combined.pem") == key + "\n" + chain);
  CHECK(!h.secret_data("apps", "web-tls", "key.der").empty());
}

TEST_CASE(
    "a PKCS#12 keystore whose password Secret is missing says so, and is stored once it is "
    "there") {
  ControllerHarness h;
  h.apply(bootstrap_yaml("apps"));
  h.apply(leaf_yaml("apps", "web", "web.example.com",
                    "  keystores:\n"
                    "    pkcs12:\n"
                    "      create: true\n"
                    "      passwordSecretRef:\n"
                    "        name: p12-password\n"
                    "        key: password\n"));
  REQUIRE(h.wait_ready("apps", "web", "False", "SecretNotStored"));
  std::string message;
  h.condition(kCertificates + "web", "Ready", nullptr, &message);
  CHECK(message.find("\"p12-password\" does not exist in namespace apps") != std::string::npos);
  const auto events = h.events_for("apps", "web");
  CHECK(std::any_of(events.begin(), events.end(), [](const std::string& e) {
    return e.starts_with(
        "Warning SecretNotStored: The certificate was issued but cannot be stored");
  }));
  CHECK_FALSE(h.get(kSecrets + "web-tls"));

  h.apply(R"(apiVersion: v1
kind: Secret
metadata:
  name: p12-password
  namespace: apps
stringData:
  password: changeit
)");
  CHECK(eventually_moving_clock(
      h, [&] { return h.condition(kCertificates + "web", "Ready") == "True"; }));
  CHECK_FALSE(h.secret_data("apps", "web-tls", "keystore.p12").empty());
}

TEST_CASE("a CA Certificate's nameConstraints and otherNames are in the certificate it stores") {
  ControllerHarness h;
  h.apply(bootstrap_yaml("apps"));
  h.apply(leaf_yaml("apps", "team-ca", "team.example.com",
                    "  isCA: true\n"
                    "  otherNames:\n"
                    "  - oid: 1.3.6.1.4.1.311.20.2.3\n"
                    "    utf8Value: team@example.com\n"
                    "  nameConstraints:\n"
                    "    critical: true\n"
                    "    permitted:\n"
                    "      dnsDomains: [example.com]\n"
                    "      ipRanges: [10.0.0.0/8]\n"
                    "    excluded:\n"
                    "      dnsDomains: [secret.example.com]\n"));
  REQUIRE(h.wait_ready("apps", "team-ca"));
  auto certs = pki::parse_certificates(h.secret_data("apps", "team-ca-tls", "tls.crt"), "tls.crt");
  REQUIRE(certs.ok());
  const X509* leaf = certs->front().get();
  int critical = -1;
  auto* constraints = static_cast<NAME_CONSTRAINTS*>(
      X509_get_ext_d2i(leaf, NID_name_constraints, &critical, nullptr));
  REQUIRE(constraints != nullptr);
  CHECK(critical == 1);
  CHECK(sk_GENERAL_SUBTREE_num(constraints->permittedSubtrees) == 2);
  CHECK(sk_GENERAL_SUBTREE_num(constraints->excludedSubtrees) == 1);
  NAME_CONSTRAINTS_free(constraints);
  const std::vector<api::OtherName> expected{{"1.3.6.1.4.1.311.20.2.3", "team@example.com"}};
  CHECK(certs->front().info().sans.other_names == expected);
}
