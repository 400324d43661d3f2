// cert-manager's documented bootstrap, end to end: a SelfSigned ClusterIssuer
// signs a root CA Certificate, a CA Issuer uses its Secret, and every leaf it
// signs verifies with `openssl verify` against that root.
#include <catch2/catch.hpp>

#include "tests/controller_live/harness.hpp"
#include "tests/controller_live/manifests.hpp"
#include "tests/support/openssl_cli.hpp"

using namespace certmill;
using namespace certmill::test;

TEST_CASE("SelfSigned bootstraps a root CA whose Issuer signs leaves that openssl verifies") {
  ControllerHarness h;
  h.apply(bootstrap_yaml("sandbox"));
  for (int i = 0; i < 5; ++i) {
    const std::string n = std::to_string(i);
    h.apply(leaf_yaml("sandbox", "leaf-" + n, "leaf-" + n + ".example.com"));
  }
  REQUIRE(h.wait_ready("sandbox", "my-selfsigned-ca"));

  ScratchDir dir;
  const std::string root = h.secret_data("sandbox", "root-secret", "tls.crt");
  REQUIRE(root.find("BEGIN CERTIFICATE") != std::string::npos);
  // The root is its own CA: ca.crt is the certificate itself.
  CHECK(h.secret_data("sandbox", "root-secret", "ca.crt") == root);
  const std::string root_file = dir.write("root.crt", root);
  for (int i = 0; i < 5; ++i) {
    const std::string name = "leaf-" + std::to_string(i);
    INFO(name);
    REQUIRE(h.wait_ready("sandbox", name));
    const std::string leaf = h.secret_data("sandbox", name + "-tls", "tls.crt");
    CHECK(h.secret_data("sandbox", name + "-tls", "ca.crt") == root);
    const auto verified = openssl({"verify", "-CAfile", root_file, dir.write(name + ".crt", leaf)});
    CHECK(verified.status == 0);
    CHECK(verified.output.find(": OK") != std::string::npos);
    // The key in the Secret is the certificate's.
    const std::string key_file =
        dir.write(name + ".key", h.secret_data("sandbox", name + "-tls", "tls.key"));
    const auto from_key = openssl({"pkey", "-in", key_file, "-pubout"});
    const auto from_cert = openssl({"x509", "-in", dir.path(name + ".crt"), "-noout", "-pubkey"});
    CHECK(from_key.output == from_cert.output);
    const auto text =
        openssl({"x509", "-in", dir.path(name + ".crt"), "-noout", "-ext", "subjectAltName"});
    CHECK(text.output.find("DNS:" + name + ".example.com") != std::string::npos);
  }

  std::string reason;
  CHECK(h.condition("/apis/cert-manager.io/v1/namespaces/sandbox/issuers/my-ca-issuer", "Ready",
                    &reason) == "True");
  CHECK(reason == "KeyPairVerified");
  // Status as cert-manager writes it, and the request it made.
  auto crt = h.get("/apis/cert-manager.io/v1/namespaces/sandbox/certificates/leaf-0");
  REQUIRE(crt);
  CHECK(crt->at("status").at("revision").to_number<int>() == 1);
  CHECK(crt->at("status").as_object().contains("notAfter"));
  CHECK(crt->at("status").as_object().contains("renewalTime"));
  auto request = h.get("/apis/cert-manager.io/v1/namespaces/sandbox/certificaterequests/leaf-0-1");
  REQUIRE(request);
  CHECK(h.condition("/apis/cert-manager.io/v1/namespaces/sandbox/certificaterequests/leaf-0-1",
                    "Approved") == "True");
  CHECK(h.condition("/apis/cert-manager.io/v1/namespaces/sandbox/certificaterequests/leaf-0-1",
                    "Ready", &reason) == "True");
  CHECK(reason == "Issued");
  const auto events = h.events_for("sandbox", "leaf-0");
  CHECK(std::find(events.begin(), events.end(),
                  "Normal Issuing: The certificate has been successfully issued") != events.end());
}
