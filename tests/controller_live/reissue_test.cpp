// Re-issuance end to end: a spec edit (names, otherNames, a CA's
// nameConstraints), a deleted Secret and a tampered Secret each lead to a new
// certificate, and a reordered list does not; renewal happens at the renewal time on the
// fake clock; a failed issuance backs off and recovers.
#include <catch2/catch.hpp>

#include "core/pki/x509.hpp"
#include "tests/controller_live/harness.hpp"
#include "tests/controller_live/manifests.hpp"
#include "tests/support/openssl_cli.hpp"

using namespace certmill;
using namespace certmill::test;

namespace {

const std::string kCertificates = "/apis/cert-manager.io/v1/namespaces/apps/certificates/";

std::string subject_alt_names(const std::string& pem) {
  ScratchDir dir;
  return openssl({"x509", "-in", dir.write("c.crt", pem), "-noout", "-ext", "subjectAltName"})
      .output;
}

}  // namespace

TEST_CASE("editing dnsNames issues a new revision with the new names") {
  ControllerHarness h;
  h.apply(bootstrap_yaml("apps"));
  h.apply(leaf_yaml("apps", "web", "web.example.com"));
  REQUIRE(h.wait_revision("apps", "web", 1));
  const std::string before = h.secret_data("apps", "web-tls", "tls.crt");

  auto r = h.send("PATCH", kCertificates + "web",
                  R"({"spec":{"dnsNames":["web.example.com","www.example.com"]}})",
                  "application/merge-patch+json");
  REQUIRE(r.status == 200);
  REQUIRE(h.wait_revision("apps", "web", 2));
  const std::string after = h.secret_data("apps", "web-tls", "tls.crt");
  CHECK(after != before);
  CHECK(subject_alt_names(after).find("DNS:www.example.com") != std::string::npos);
  // revisionHistoryLimit unset keeps one finished request.
  CHECK(eventually([&] {
    return !h.get("/apis/cert-manager.io/v1/namespaces/apps/certificaterequests/web-1");
  }));
  CHECK(h.get("/apis/cert-manager.io/v1/namespaces/apps/certificaterequests/web-2"));
}

TEST_CASE(
    "editing a CA's nameConstraints or otherNames issues a new revision, and reordering does not") {
  ControllerHarness h;
  h.apply(bootstrap_yaml("apps"));
  h.apply(leaf_yaml("apps", "team-ca", "team.example.com",
                    "  isCA: true\n"
                    "  otherNames:\n"
                    "  - oid: 1.3.6.1.4.1.311.20.2.3\n"
                    "    utf8Value: team@example.com\n"
                    "  nameConstraints:\n"
                    "    permitted:\n"
                    "      dnsDomains: [example.com, example.org]\n"));
  REQUIRE(h.wait_revision("apps", "team-ca", 1));
  auto patch = [&](const std::string& spec) {
    REQUIRE(h.send("PATCH", kCertificates + "team-ca", R"({"spec":)" + spec + "}",
                   "application/merge-patch+json")
                .status == 200);
  };
  auto constraints = [&] {
    ScratchDir dir;
    return openssl({"x509", "-in",
                    dir.write("c.crt", h.secret_data("apps", "team-ca-tls", "tls.crt")), "-noout",
                    "-ext", "nameConstraints"})
        .output;
  };
  // The same domains in another order: the same constraints, no new revision.
  patch(R"({"nameConstraints":{"permitted":{"dnsDomains":["example.org","example.com"]}}})");
  std::this_thread::sleep_for(std::chrono::seconds(1));
  CHECK(h.revision("apps", "team-ca") == 1);
  // Another domain excluded: issued again, with it.
  patch(R"({"nameConstraints":{"permitted":{"dnsDomains":["example.org","example.com"]},)"
        R"("excluded":{"dnsDomains":["secret.example.com"]}}})");
  REQUIRE(h.wait_revision("apps", "team-ca", 2));
  CHECK(constraints().find("secret.example.com") != std::string::npos);
  // Another otherName value: issued again.
  patch(R"({"otherNames":[{"oid":"1.3.6.1.4.1.311.20.2.3","utf8Value":"ops@example.com"}]})");
  REQUIRE(h.wait_revision("apps", "team-ca", 3));
  auto certs = pki::parse_certificates(h.secret_data("apps", "team-ca-tls", "tls.crt"), "tls.crt");
  REQUIRE(certs.ok());
  const std::vector<api::OtherName> expected{{"1.3.6.1.4.1.311.20.2.3", "ops@example.com"}};
  CHECK(certs->front().info().sans.other_names == expected);
  std::this_thread::sleep_for(std::chrono::seconds(1));
  CHECK(h.revision("apps", "team-ca") == 3);
}

TEST_CASE("a deleted Secret is issued again") {
  ControllerHarness h;
  h.apply(bootstrap_yaml("apps"));
  h.apply(leaf_yaml("apps", "web", "web.example.com"));
  REQUIRE(h.wait_revision("apps", "web", 1));
  REQUIRE(h.send("DELETE", "/api/v1/namespaces/apps/secrets/web-tls").status == 200);
  REQUIRE(h.wait_revision("apps", "web", 2));
  CHECK(h.secret_data("apps", "web-tls", "tls.crt").find("BEGIN CERTIFICATE") != std::string::npos);
  const auto events = h.events_for("apps", "web");
  CHECK(std::find(events.begin(), events.end(),
                  "Normal Issuing: Issuing certificate as Secret does not exist") != events.end());
}

TEST_CASE("a Secret whose certificate was swapped for another is issued again") {
  ControllerHarness h;
  h.apply(bootstrap_yaml("apps"));
  h.apply(leaf_yaml("apps", "web", "web.example.com"));
  h.apply(leaf_yaml("apps", "other", "other.example.com"));
  REQUIRE(h.wait_revision("apps", "web", 1));
  REQUIRE(h.wait_revision("apps", "other", 1));
  // Someone copies another certificate into web-tls.
  auto other = h.get("/api/v1/namespaces/apps/secrets/other-tls");
  REQUIRE(other);
  const std::string crt = boost::json::serialize(other->at("data").at("tls.crt"));
  auto r = h.send("PATCH", "/api/v1/namespaces/apps/secrets/web-tls",
                  R"({"data":{"tls.crt":)" + crt + "}}", "application/merge-patch+json");
  REQUIRE(r.status == 200);
  REQUIRE(h.wait_revision("apps", "web", 2));
  CHECK(
      subject_alt_names(h.secret_data("apps", "web-tls", "tls.crt")).find("DNS:web.example.com") !=
      std::string::npos);
}

TEST_CASE("renewal happens at the renewal time on the fake clock, not before") {
  ControllerHarness h;
  h.apply(bootstrap_yaml("apps"));
  h.apply(leaf_yaml("apps", "web", "web.example.com", "  duration: 24h\n  renewBefore: 8h\n"));
  REQUIRE(h.wait_revision("apps", "web", 1));
  auto crt = h.get(kCertificates + "web");
  REQUIRE(crt);
  const std::string renewal = std::string(crt->at("status").at("renewalTime").as_string());

  // Just before the renewal time: nothing happens.
  h.clock().advance(std::chrono::hours(16) - std::chrono::seconds(30));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  CHECK(h.revision("apps", "web") == 1);
  // Past it: a new revision, with a renewal time 16 h after the new notBefore.
  h.clock().advance(std::chrono::minutes(1));
  REQUIRE(h.wait_revision("apps", "web", 2));
  crt = h.get(kCertificates + "web");
  CHECK(std::string(crt->at("status").at("renewalTime").as_string()) != renewal);
  const auto events = h.events_for("apps", "web");
  CHECK(std::any_of(events.begin(), events.end(), [](const std::string& e) {
    return e.starts_with("Normal Issuing: Renewing certificate as renewal was scheduled at ");
  }));
}
