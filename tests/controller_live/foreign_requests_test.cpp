// CertificateRequests no Certificate owns, as csi-driver, istio-csr and
// `cmctl create certificaterequest` make them (a generated key, a CSR with a
// URI SAN and DNS names, an issuerRef), end to end against kube-sim:
// approved and signed by a CA issuer with a certificate for the CSR's key;
// with the approver off, Pending until the test approves; Denied ones failed
// and never signed; a signed one approved again, or after a restart, never
// signed twice; a malformed CSR failed with a message and an Event; and one
// for an external issuer's group left without a write.
#include <catch2/catch.hpp>

#include "core/base64.hpp"
#include "core/pki/csr.hpp"
#include "core/pki/keys.hpp"
#include "core/pki/x509.hpp"
#include "tests/controller_live/harness.hpp"
#include "tests/controller_live/manifests.hpp"
#include "tests/controller_live/request_fixtures.hpp"

using namespace certmill;
using namespace certmill::test;

namespace {

const std::string kNs = "mesh";

std::string request_path(const std::string& name) {
  return test::request_path(kNs, name);
}

// A key and its CSR, shaped like csi-driver's: a SPIFFE URI and a DNS name,
// no subject, and the usages the request asks for, which the signer checks
// the CSR against.
Csr make_csr(const std::string& workload) {
  api::CertificateSpec spec;
  spec.uris = {"spiffe://cluster.local/ns/" + kNs + "/sa/" + workload};
  spec.dns_names = {workload + "." + kNs + ".svc.cluster.local"};
  spec.usages = {api::KeyUsage::DigitalSignature, api::KeyUsage::KeyEncipherment,
                 api::KeyUsage::ClientAuth};
  return test::make_csr(spec);
}

std::string request_yaml(
    const std::string& name, const std::string& csr_pem,
    const std::string& issuer_ref = "{name: my-ca-issuer, kind: Issuer, group: cert-manager.io}",
    const std::string& annotations = "{}") {
  return "apiVersion: cert-manager.io/v1\nkind: CertificateRequest\nmetadata:\n  name: " + name +
         "\n  namespace: " + kNs + "\n  annotations: " + annotations +
         "\nspec:\n  request: " + base64_encode(csr_pem) + "\n  issuerRef: " + issuer_ref +
         "\n  duration: 1h\n  isCA: false\n  usages: [digital signature, key encipherment, client "
         "auth]\n"
         // What the webhook fills in on a real cluster.
         "  username: system:serviceaccount:cert-manager:cert-manager-csi-driver\n"
         "  groups: [system:serviceaccounts, system:authenticated]\n";
}

std::string certificate_of(ControllerHarness& h, const std::string& name) {
  return request_certificate(h, kNs, name);
}

bool has_failure_time(ControllerHarness& h, const std::string& name) {
  auto request = h.get(request_path(name));
  return request && request->at("status").as_object().contains("failureTime");
}

void set_condition(ControllerHarness& h, const std::string& name, const std::string& type,
                   const std::string& reason) {
  set_request_condition(h, kNs, name, type, reason);
}

bool has_event(ControllerHarness& h, const std::string& name, const std::string& text) {
  return has_request_event(h, kNs, name, text);
}

void bootstrap(ControllerHarness& h) {
  h.apply(bootstrap_yaml(kNs));
  REQUIRE(h.wait_ready(kNs, "my-selfsigned-ca"));
  REQUIRE(eventually([&] {
    return h.condition("/apis/cert-manager.io/v1/namespaces/" + kNs + "/issuers/my-ca-issuer",
                       "Ready") == "True";
  }));
}

}  // namespace

TEST_CASE("a CertificateRequest no Certificate owns is approved and signed by its CA issuer",
          "[foreign-requests]") {
  ControllerHarness h;
  bootstrap(h);
  const Csr csr = make_csr("web");
  h.apply(request_yaml("web-abc12", csr.pem));

  std::string reason, message;
  REQUIRE(eventually([&] { return h.condition(request_path("web-abc12"), "Ready") == "True"; }));
  CHECK(h.condition(request_path("web-abc12"), "Ready", &reason) == "True");
  CHECK(reason == "Issued");
  CHECK(h.condition(request_path("web-abc12"), "Approved", &reason, &message) == "True");
  CHECK(reason == "cert-manager.io");
  CHECK(message == "Certificate request has been approved by cert-manager.io");
  CHECK(has_event(h, "web-abc12", "CertificateIssued"));

  const std::string pem = certificate_of(h, "web-abc12");
  auto leaf = pki::parse_certificate(pem, "status.certificate");
  REQUIRE(leaf);
  CHECK(pki::key_matches_certificate(csr.key, *leaf));
  CHECK(leaf->info().sans.uris ==
        std::vector<std::string>{"spiffe://cluster.local/ns/mesh/sa/web"});
  CHECK(leaf->info().sans.dns_names == std::vector<std::string>{"web.mesh.svc.cluster.local"});
  // One hour, as spec.duration asks (a CA may backdate notBefore a little).
  const auto lifetime = leaf->info().not_after - leaf->info().not_before;
  CHECK(lifetime >= std::chrono::hours(1));
  CHECK(lifetime <= std::chrono::hours(1) + std::chrono::minutes(5));
  auto request = h.get(request_path("web-abc12"));
  REQUIRE(request);
  auto ca = base64_decode(std::string(request->at("status").at("ca").as_string()));
  REQUIRE(ca);
  auto root = pki::parse_certificate(*ca, "status.ca");
  REQUIRE(root);
  CHECK(leaf->signed_by(*root));

  // A restarted controller signs nothing again, and writes nothing.
  h.stop();
  const long before = h.writes_in(kNs);
  h.start();
  REQUIRE(h.wait_settled(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  CHECK(h.writes_in(kNs) == before);
  CHECK(certificate_of(h, "web-abc12") == pem);
}

TEST_CASE("with the approver off a request waits Pending until it is approved, and is signed once",
          "[foreign-requests]") {
  controller::ControllerConfig config;
  config.runtime.approve_requests = false;
  ControllerHarness h(config);
  // Without the approver, the bootstrap's own requests need approval too.
  h.apply(bootstrap_yaml(kNs));
  REQUIRE(eventually([&] {
    return h.get("/apis/cert-manager.io/v1/namespaces/mesh/certificaterequests/my-selfsigned-ca-1")
        .has_value();
  }));
  set_condition(h, "my-selfsigned-ca-1", "Approved", "KubectlCertManager");
  REQUIRE(h.wait_ready(kNs, "my-selfsigned-ca"));

  const Csr csr = make_csr("api");
  h.apply(request_yaml("api-x7k2p", csr.pem));
  std::string reason, message;
  REQUIRE(eventually([&] {
    return h.condition(request_path("api-x7k2p"), "Ready", &reason, &message) == "False" &&
           reason == "Pending";
  }));
  CHECK(message ==
        "Waiting on certificate issuance: not signing CertificateRequest until it is Approved");
  CHECK(has_event(h, "api-x7k2p", "WaitingForApproval"));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  CHECK(h.condition(request_path("api-x7k2p"), "Approved").empty());
  CHECK(certificate_of(h, "api-x7k2p").empty());

  set_condition(h, "api-x7k2p", "Approved", "KubectlCertManager");
  REQUIRE(eventually([&] { return h.condition(request_path("api-x7k2p"), "Ready") == "True"; }));
  // The test's approval stays as the test wrote it.
  CHECK(h.condition(request_path("api-x7k2p"), "Approved", &reason) == "True");
  CHECK(reason == "KubectlCertManager");
  const std::string pem = certificate_of(h, "api-x7k2p");
  auto leaf = pki::parse_certificate(pem, "status.certificate");
  REQUIRE(leaf);
  CHECK(pki::key_matches_certificate(csr.key, *leaf));

  // Approved again (the patch drops Ready=Issued; status.certificate stays):
  // not signed again, and certmill writes nothing.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const long before = h.writes_in(kNs);
  set_condition(h, "api-x7k2p", "Approved", "AgainByTheTest");
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  CHECK(h.writes_in(kNs) == before + 1);  // the test's patch
  CHECK(certificate_of(h, "api-x7k2p") == pem);
}

TEST_CASE("a denied CertificateRequest is failed and never signed", "[foreign-requests]") {
  controller::ControllerConfig config;
  config.runtime.approve_requests = false;
  ControllerHarness h(config);
  h.apply(bootstrap_yaml(kNs));
  REQUIRE(eventually([&] {
    return h.get("/apis/cert-manager.io/v1/namespaces/mesh/certificaterequests/my-selfsigned-ca-1")
        .has_value();
  }));
  set_condition(h, "my-selfsigned-ca-1", "Approved", "KubectlCertManager");
  REQUIRE(h.wait_ready(kNs, "my-selfsigned-ca"));

  h.apply(request_yaml("db-q9w8e", make_csr("db").pem));
  REQUIRE(eventually([&] { return h.condition(request_path("db-q9w8e"), "Ready") == "False"; }));
  set_condition(h, "db-q9w8e", "Denied", "PolicyDenied");
  std::string reason, message;
  REQUIRE(eventually([&] {
    return h.condition(request_path("db-q9w8e"), "Ready", &reason, &message) == "False" &&
           reason == "Denied";
  }));
  CHECK(message == "The CertificateRequest was denied by an approval controller");
  CHECK(has_failure_time(h, "db-q9w8e"));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  CHECK(certificate_of(h, "db-q9w8e").empty());
  CHECK(h.condition(request_path("db-q9w8e"), "Approved").empty());
}

TEST_CASE("a malformed CSR fails with a message and an Event, and nothing crashes",
          "[foreign-requests]") {
  ControllerHarness h;
  bootstrap(h);
  h.apply(request_yaml("bad-csr",
                       "-----BEGIN CERTIFICATE REQUEST-----\nbm90IGEgQ1NS\n"
                       "-----END CERTIFICATE REQUEST-----\n"));
  std::string reason, message;
  REQUIRE(eventually([&] {
    return h.condition(request_path("bad-csr"), "Ready", &reason, &message) == "False" &&
           reason == "Failed";
  }));
  CHECK(message.starts_with("Failed to decode the CSR in spec.request: "));
  CHECK(has_failure_time(h, "bad-csr"));
  CHECK(has_event(h, "bad-csr", "Warning BadRequest"));
  CHECK(certificate_of(h, "bad-csr").empty());
  // The controller goes on: the next request is signed.
  h.apply(request_yaml("good-csr", make_csr("good").pem));
  CHECK(eventually([&] { return h.condition(request_path("good-csr"), "Ready") == "True"; }));
}

TEST_CASE("a SelfSigned request is signed with the key its annotation names",
          "[foreign-requests]") {
  ControllerHarness h;
  bootstrap(h);
  const Csr csr = make_csr("root");
  auto key_pem = pki::encode_private_key(csr.key, api::PrivateKeyEncoding::PKCS1);
  REQUIRE(key_pem);
  h.apply("apiVersion: v1\nkind: Secret\nmetadata:\n  name: root-key\n  namespace: " + kNs +
          "\ntype: Opaque\ndata:\n  tls.key: " + base64_encode(*key_pem) + "\n");
  h.apply(request_yaml("root-self", csr.pem,
                       "{name: selfsigned-issuer-mesh, kind: ClusterIssuer, group: "
                       "cert-manager.io}",
                       "{cert-manager.io/private-key-secret-name: root-key}"));
  REQUIRE(eventually([&] { return h.condition(request_path("root-self"), "Ready") == "True"; }));
  auto leaf = pki::parse_certificate(certificate_of(h, "root-self"), "status.certificate");
  REQUIRE(leaf);
  CHECK(leaf->info().self_signed);
  CHECK(pki::key_matches_certificate(csr.key, *leaf));
}

TEST_CASE("a request for an external issuer's group is left untouched", "[foreign-requests]") {
  ControllerHarness h;
  bootstrap(h);
  REQUIRE(h.wait_settled(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const long before = h.writes_in(kNs);
  h.apply(request_yaml("pca-r5t6y", make_csr("pca").pem,
                       "{name: pca, kind: AWSPCAClusterIssuer, group: awspca.cert-manager.io}"));
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  CHECK(h.writes_in(kNs) == before + 1);  // the test's create
  CHECK(h.condition(request_path("pca-r5t6y"), "Ready").empty());
  CHECK(h.condition(request_path("pca-r5t6y"), "Approved").empty());

  // The counter sees certmill's writes: a request for the CA issuer costs
  // the create and certmill's status write (and its Events).
  h.apply(request_yaml("ca-u8i9o", make_csr("ca").pem));
  REQUIRE(eventually([&] { return h.condition(request_path("ca-u8i9o"), "Ready") == "True"; }));
  CHECK(h.writes_in(kNs) >= before + 3);
  CHECK(h.condition(request_path("pca-r5t6y"), "Ready").empty());
}

TEST_CASE("a request waits Pending for its issuer and is signed when the issuer comes",
          "[foreign-requests]") {
  ControllerHarness h;
  bootstrap(h);
  const Csr csr = make_csr("late");
  h.apply(
      request_yaml("late-m3n4b", csr.pem, "{name: late-ca, kind: Issuer, group: cert-manager.io}"));
  std::string reason, message;
  REQUIRE(eventually([&] {
    return h.condition(request_path("late-m3n4b"), "Ready", &reason, &message) == "False" &&
           reason == "Pending";
  }));
  CHECK(message == "Waiting on certificate issuance: referenced \"Issuer\" \"late-ca\" not found");
  CHECK(has_event(h, "late-m3n4b", "IssuerNotFound"));
  CHECK(h.condition(request_path("late-m3n4b"), "Approved").empty());

  // The issuer's arrival wakes the request: the fake clock does not move.
  h.apply(
      "apiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata:\n  name: late-ca\n"
      "  namespace: " +
      kNs + "\nspec:\n  ca:\n    secretName: root-secret\n");
  REQUIRE(eventually([&] { return h.condition(request_path("late-m3n4b"), "Ready") == "True"; }));
  auto leaf = pki::parse_certificate(certificate_of(h, "late-m3n4b"), "status.certificate");
  REQUIRE(leaf);
  CHECK(pki::key_matches_certificate(csr.key, *leaf));
}
