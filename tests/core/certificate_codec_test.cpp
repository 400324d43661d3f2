// Certificate and CertificateRequest codecs on manifests shaped as in
// cert-manager's documentation.
#include <catch2/catch.hpp>

#include "core/api/certificate.hpp"
#include "core/api/codec.hpp"
#include "core/time.hpp"
#include "tests/support/files.hpp"

using namespace certmill;
using namespace certmill::api;

TEST_CASE("a documented Certificate decodes with every field") {
  auto cert = decode<Certificate>(test::read_file("tests/core/manifests/certificate.json"));
  REQUIRE(cert.ok());
  CHECK(cert->metadata.name == "example-com");
  CHECK(cert->metadata.namespace_ == "sandbox");
  CHECK(cert->spec.secret_name == "example-com-tls");
  CHECK(cert->spec.issuer_ref.name == "ca-issuer");
  CHECK(cert->spec.issuer_ref.kind == "Issuer");
  CHECK(cert->spec.duration == std::chrono::hours(2160));
  CHECK(cert->spec.renew_before == std::chrono::hours(360));
  CHECK(cert->spec.dns_names == std::vector<std::string>{"example.com", "www.example.com"});
  CHECK(cert->spec.usages == std::vector{KeyUsage::ServerAuth, KeyUsage::ClientAuth});
  REQUIRE(cert->spec.private_key.has_value());
  CHECK(cert->spec.private_key->algorithm == PrivateKeyAlgorithm::RSA);
  CHECK(cert->spec.private_key->encoding == PrivateKeyEncoding::PKCS1);
  CHECK(cert->spec.private_key->size == 2048);
  REQUIRE(cert->spec.subject.has_value());
  CHECK(cert->spec.subject->organizations == std::vector<std::string>{"jetstack"});
  CHECK(cert->spec.is_ca == false);
}

TEST_CASE("a Certificate survives encode and decode unchanged") {
  auto cert = decode<Certificate>(test::read_file("tests/core/manifests/certificate.json"));
  REQUIRE(cert.ok());
  const std::string json = encode(*cert);
  auto again = decode<Certificate>(json);
  REQUIRE(again.ok());
  CHECK(*again == *cert);
  CHECK(encode(*again) == json);
}

TEST_CASE("a keystore's create is written even when false, as cert-manager's type has it") {
  // The CRD requires it: a status update that dropped it was refused forever.
  Certificate cert;
  cert.metadata.name = "web";
  cert.spec.keystores.emplace();
  cert.spec.keystores->jks.emplace();
  const std::string json = encode(cert);
  CHECK(json.find(R"("jks":{"create":false})") != std::string::npos);
  auto again = decode<Certificate>(json);
  REQUIRE(again.ok());
  CHECK(*again == cert);
}

TEST_CASE("spec.renewal decodes, encodes and decodes again unchanged") {
  auto cert = decode<Certificate>(
      R"({"apiVersion":"cert-manager.io/v1","kind":"Certificate","metadata":{"name":"a"},)"
      R"("spec":{"secretName":"a","issuerRef":{"name":"x"},"renewal":{"policy":"RenewBefore",)"
      R"("windows":[{"cron":"0 4 * * 2","timezone":"America/Chicago","windowDuration":"3h"},)"
      R"({"cron":"@daily","windowDuration":"90m"}]}}})");
  REQUIRE(cert.ok());
  REQUIRE(cert->spec.renewal);
  CHECK(cert->spec.renewal->policy == "RenewBefore");
  REQUIRE(cert->spec.renewal->windows.size() == 2);
  CHECK(cert->spec.renewal->windows[0] ==
        RenewalWindowSpec{"0 4 * * 2", "America/Chicago", std::chrono::hours(3)});
  CHECK(cert->spec.renewal->windows[1] ==
        RenewalWindowSpec{"@daily", "", std::chrono::minutes(90)});
  const std::string json = encode(*cert);
  CHECK(json.find(R"("windowDuration":"1h30m")") != std::string::npos);
  auto again = decode<Certificate>(json);
  REQUIRE(again.ok());
  CHECK(*again == *cert);

  // Disabled, and an empty renewal, survive too; a bad duration names its path.
  for (const char* renewal : {R"({"policy":"Disabled"})", "{}"}) {
    auto c = decode<Certificate>(
        std::string(R"({"apiVersion":"cert-manager.io/v1","kind":"Certificate",)") +
        R"("metadata":{"name":"a"},"spec":{"secretName":"a","issuerRef":{"name":"x"},)" +
        R"("renewal":)" + renewal + "}}");
    REQUIRE(c.ok());
    REQUIRE(c->spec.renewal);
    auto back = decode<Certificate>(encode(*c));
    REQUIRE(back.ok());
    CHECK(*back == *c);
  }
  auto bad = decode<Certificate>(
      R"({"apiVersion":"cert-manager.io/v1","kind":"Certificate","metadata":{"name":"a"},)"
      R"("spec":{"secretName":"a","issuerRef":{"name":"x"},"renewal":{"windows":[)"
      R"({"cron":"@daily","windowDuration":"3 hours"}]}}})");
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.error().message(), Catch::Contains("spec.renewal.windows[0].windowDuration"));
}

TEST_CASE("Certificate decoding errors name the field path") {
  SECTION("missing secretName") {
    auto r = decode<Certificate>(
        R"({"apiVersion":"cert-manager.io/v1","kind":"Certificate","metadata":{"name":"a"},)"
        R"("spec":{"issuerRef":{"name":"x"}}})");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code() == Errc::missing_field);
    CHECK(r.error().message() == "spec.secretName: required field is missing");
  }
  SECTION("a number among dnsNames") {
    auto r = decode<Certificate>(
        R"({"metadata":{"name":"a"},"spec":{"secretName":"s","issuerRef":{"name":"x"},)"
        R"("dnsNames":["a.example",7]}})");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code() == Errc::wrong_type);
    CHECK(r.error().message() == "spec.dnsNames[1]: expected string, got number");
  }
  SECTION("an unknown key algorithm") {
    auto r = decode<Certificate>(
        R"({"metadata":{"name":"a"},"spec":{"secretName":"s","issuerRef":{"name":"x"},)"
        R"("privateKey":{"algorithm":"DSA"}}})");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message() ==
          "spec.privateKey.algorithm: unknown value \"DSA\"; expected one of RSA, ECDSA, Ed25519");
  }
  SECTION("another kind") {
    auto r = decode<Certificate>(R"({"apiVersion":"cert-manager.io/v1","kind":"Issuer"})");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code() == Errc::wrong_kind);
    CHECK(r.error().message() == "kind: expected \"Certificate\", got \"Issuer\"");
  }
  SECTION("a malformed duration") {
    auto r = decode<Certificate>(
        R"({"metadata":{"name":"a"},"spec":{"secretName":"s","issuerRef":{"name":"x"},)"
        R"("duration":"90 days"}})");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code() == Errc::invalid_value);
    CHECK_THAT(r.error().message(), Catch::StartsWith("spec.duration: invalid duration"));
  }
}

TEST_CASE("status.acme.ari decodes as cert-manager writes it, and encodes again unchanged") {
  const std::string json = R"({"apiVersion":"cert-manager.io/v1","kind":"Certificate",
    "metadata":{"name":"web","namespace":"shop"},
    "spec":{"secretName":"web-tls","issuerRef":{"name":"le"}},
    "status":{"acme":{"ari":{"certID":"aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE",
      "lastChecked":"2026-07-09T09:09:27Z","nextCheck":"2026-07-09T14:29:11Z",
      "suggestedWindow":{"start":"2026-07-08T11:03:50Z","end":"2026-07-08T14:14:40Z"}}}}})";
  auto cert = decode<Certificate>(json);
  REQUIRE(cert.ok());
  REQUIRE(cert->status.acme);
  REQUIRE(cert->status.acme->ari);
  const CertificateAcmeAriStatus& ari = *cert->status.acme->ari;
  CHECK(ari.cert_id == "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE");
  CHECK(format_time(*ari.last_checked) == "2026-07-09T09:09:27Z");
  CHECK(format_time(*ari.next_check) == "2026-07-09T14:29:11Z");
  REQUIRE(ari.suggested_window);
  CHECK(format_time(*ari.suggested_window->start) == "2026-07-08T11:03:50Z");
  CHECK(format_time(*ari.suggested_window->end) == "2026-07-08T14:14:40Z");
  auto again = decode<Certificate>(encode(*cert));
  REQUIRE(again.ok());
  CHECK(*again == *cert);
  // Its patch alone, as the controller sends it.
  CHECK(encode(*cert->status.acme).find(R"("certID":"aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE")") !=
        std::string::npos);
}
