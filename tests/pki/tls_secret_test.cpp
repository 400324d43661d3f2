// The TLS Secret: cert-manager's exact keys, annotations and label, the
// additional output formats, and PKCS#12 keystores opened by `openssl pkcs12`.
#include "core/pki/tls_secret.hpp"

#include <catch2/catch.hpp>

#include "core/pki/pkcs12.hpp"
#include "tests/pki/pki_fixtures.hpp"
#include "tests/support/openssl_cli.hpp"

using namespace certmill;
using namespace certmill::pki;
using api::PrivateKeyAlgorithm;

namespace {

struct Issued {
  api::Certificate crt;
  TlsSecretInput input;
};

Issued issue(const test::TestCa& ca, PrivateKeyAlgorithm algorithm = PrivateKeyAlgorithm::ECDSA) {
  Issued out;
  out.crt.metadata.name = "web";
  out.crt.metadata.namespace_ = "shop";
  out.crt.spec = test::leaf_spec();
  out.crt.spec.subject = api::X509Subject{};
  out.crt.spec.subject->organizations = {"Example, Inc.", "Ops"};
  const PrivateKey key = test::make_key(algorithm);
  auto bundle = sign_with_ca(test::request_for(out.crt.spec, key), ca.pair, {});
  REQUIRE(bundle.ok());
  out.input.private_key_pem = *encode_private_key(key, api::PrivateKeyEncoding::PKCS1);
  out.input.chain_pem = bundle->chain_pem;
  out.input.ca_pem = bundle->ca_pem;
  return out;
}

}  // namespace

TEST_CASE("join_csv escapes as Go's encoding/csv does") {
  const std::pair<std::vector<std::string>, std::string> rows[] = {
      {{}, ""},
      {{"a"}, "a"},
      {{"a.example", "b.example"}, "a.example,b.example"},
      {{"Example, Inc."}, "\"Example, Inc.\""},
      {{"say \"hi\""}, "\"say \"\"hi\"\"\""},
      {{" leading"}, "\" leading\""},
      {{"trailing "}, "trailing "},
      {{"two\nlines"}, "\"two\nlines\""},
      {{""}, ""},
      {{"", ""}, ","},
  };
  for (const auto& [fields, expected] : rows)
    CHECK(join_csv(fields) == expected);
}

TEST_CASE("with owner_reference the Certificate controls its Secret, as NewControllerRef makes") {
  const test::TestCa ca = test::make_root_ca();
  Issued issued = issue(ca);
  issued.crt.metadata.uid = "3f1c2a9e-6d0b-4c47-9a51-0e2d8b7c4f10";
  const api::OwnerReference want{"cert-manager.io/v1",
                                 "Certificate",
                                 "web",
                                 "3f1c2a9e-6d0b-4c47-9a51-0e2d8b7c4f10",
                                 true,
                                 true};
  CHECK(certificate_owner_reference(issued.crt) == want);
  auto without = build_tls_secret(issued.crt, issued.input);
  REQUIRE(without.ok());
  CHECK(without->metadata.owner_references.empty());
  issued.input.owner_reference = true;
  auto with = build_tls_secret(issued.crt, issued.input);
  REQUIRE(with.ok());
  CHECK(with->metadata.owner_references == std::vector<api::OwnerReference>{want});
  // Nothing else differs.
  with->metadata.owner_references.clear();
  CHECK(*with == *without);
}

TEST_CASE("the Secret has cert-manager's type, keys, label and annotations") {
  const test::TestCa ca = test::make_root_ca();
  Issued issued = issue(ca);
  issued.crt.spec.secret_template = api::SecretTemplate{};
  issued.crt.spec.secret_template->labels = {{"team", "web"},
                                             {"controller.cert-manager.io/fao", "false"}};
  issued.crt.spec.secret_template->annotations = {{"note", "x"},
                                                  {"cert-manager.io/common-name", "spoofed"}};
  auto secret = build_tls_secret(issued.crt, issued.input);
  REQUIRE(secret.ok());
  CHECK(secret->metadata.name == "web-tls");
  CHECK(secret->metadata.namespace_ == "shop");
  CHECK(secret->type == "kubernetes.io/tls");
  CHECK(secret->metadata.labels ==
        api::StringMap{{"controller.cert-manager.io/fao", "true"}, {"team", "web"}});
  CHECK(secret->metadata.annotations ==
        api::StringMap{
            {"note", "x"},
            {"cert-manager.io/certificate-name", "web"},
            {"cert-manager.io/issuer-name", "ca-issuer"},
            {"cert-manager.io/issuer-kind", "Issuer"},
            {"cert-manager.io/issuer-group", "cert-manager.io"},
            {"cert-manager.io/common-name", "web.example.com"},
            {"cert-manager.io/alt-names", "web.example.com,www.example.com"},
            {"cert-manager.io/ip-sans", "10.0.0.7,2001:db8::1"},
            {"cert-manager.io/uri-sans", "spiffe://cluster.local/ns/web/sa/web"},
            {"cert-manager.io/email-sans", "ops@example.com"},
            // Both values share one RDN, a DER SET, which orders them by encoding.
            {"cert-manager.io/subject-organizations", "Ops,\"Example, Inc.\""},
        });
  std::vector<std::string> keys;
  for (const auto& [k, v] : secret->data)
    keys.push_back(k);
  CHECK(keys == std::vector<std::string>{"ca.crt", "tls.crt", "tls.key"});
  CHECK(secret->data.at("tls.crt").data == issued.input.chain_pem);
  CHECK(secret->data.at("tls.key").data == issued.input.private_key_pem);
  CHECK(secret->data.at("ca.crt").data == ca.tls_crt);
}

TEST_CASE(
    "annotations for a certificate with only a URI SAN keep the empty ones cert-manager keeps") {
  api::Certificate crt;
  crt.metadata.name = "svc";
  crt.spec.issuer_ref.name = "selfsigned";
  crt.spec.issuer_ref.kind = "ClusterIssuer";
  CertificateInfo leaf;
  leaf.sans.uris = {"spiffe://td/x"};
  CHECK(certificate_annotations(crt, leaf) ==
        api::StringMap{{"cert-manager.io/certificate-name", "svc"},
                       {"cert-manager.io/issuer-name", "selfsigned"},
                       {"cert-manager.io/issuer-kind", "ClusterIssuer"},
                       {"cert-manager.io/issuer-group", ""},
                       {"cert-manager.io/common-name", ""},
                       {"cert-manager.io/alt-names", ""},
                       {"cert-manager.io/ip-sans", ""},
                       {"cert-manager.io/uri-sans", "spiffe://td/x"}});
}

TEST_CASE("additionalOutputFormats CombinedPEM and DER are what openssl reads") {
  const test::TestCa ca = test::make_root_ca();
  Issued issued = issue(ca, PrivateKeyAlgorithm::RSA);
  issued.crt.spec.additional_output_formats = {{api::OutputFormat::CombinedPEM},
                                               {api::OutputFormat::DER}};
  auto secret = build_tls_secret(issued.crt, issued.input);
  REQUIRE(secret.ok());
  const std::string combined = secret->data.at("tls-combined.pem").data;
  CHECK(combined == issued.input.private_key_pem + "\n" + issued.input.chain_pem);
  test::ScratchDir dir;
  const auto pem_file = dir.write("combined.pem", combined);
  CHECK(test::openssl({"pkey", "-in", pem_file, "-noout"}).status == 0);
  CHECK(test::openssl({"x509", "-in", pem_file, "-noout"}).status == 0);
  const auto der =
      test::openssl({"pkey", "-inform", "DER", "-in",
                     dir.write("key.der", secret->data.at("key.der").data), "-noout", "-text"});
  INFO(der.output);
  CHECK(der.status == 0);
  CHECK_THAT(der.output, Catch::Contains("Private-Key: (2048 bit, 2 primes)"));
}

TEST_CASE("PKCS#12 keystores open with openssl pkcs12 in every profile") {
  const test::TestCa ca = test::make_root_ca();
  const std::tuple<std::string, std::string, bool> profiles[] = {
      {"", "pbeWithSHA1And40BitRC2-CBC", true},
      {"LegacyRC2", "pbeWithSHA1And40BitRC2-CBC", true},
      {"LegacyDES", "pbeWithSHA1And3-KeyTripleDES-CBC", false},
      {"Modern2023", "PBES2, PBKDF2, AES-256-CBC", false},
  };
  test::ScratchDir dir;
  for (const auto& [profile, cipher, legacy] : profiles) {
    INFO("profile " << profile);
    Issued issued = issue(ca);
    issued.crt.spec.keystores = api::Keystores{};
    issued.crt.spec.keystores->pkcs12 = api::KeystoreOptions{};
    issued.crt.spec.keystores->pkcs12->create = true;
    issued.crt.spec.keystores->pkcs12->profile = profile;
    issued.crt.spec.keystores->pkcs12->password_secret_ref = api::SecretKeySelector{"p12", "pw"};
    issued.input.pkcs12_password = "s3cret";
    auto secret = build_tls_secret(issued.crt, issued.input);
    REQUIRE(secret.ok());
    std::vector<std::string> args{
        "pkcs12",  "-in",         dir.write("k.p12", secret->data.at("keystore.p12").data),
        "-passin", "pass:s3cret", "-nodes",
        "-info"};
    if (legacy)
      args.push_back("-legacy");
    const auto out = test::openssl(args);
    INFO(out.output);
    CHECK(out.status == 0);
    CHECK_THAT(out.output, Catch::Contains(cipher));
    CHECK_THAT(out.output, Catch::Contains("BEGIN PRIVATE KEY"));
    CHECK_THAT(out.output,
               Catch::Contains("subject=O = Ops + O = \"Example, Inc.\", CN = web.example.com"));
    CHECK_THAT(out.output, Catch::Contains("subject=O = certmill, CN = certmill test root"));
    if (profile == "Modern2023")
      CHECK_THAT(out.output, Catch::Contains("MAC: sha256"));

    std::vector<std::string> trust{
        "pkcs12",  "-in",         dir.write("t.p12", secret->data.at("truststore.p12").data),
        "-passin", "pass:s3cret", "-nokeys"};
    if (legacy)
      trust.push_back("-legacy");
    const auto t = test::openssl(trust);
    INFO(t.output);
    CHECK(t.status == 0);
    CHECK_THAT(t.output, Catch::Contains("subject=O = certmill, CN = certmill test root"));
    CHECK_THAT(t.output, !Catch::Contains("PRIVATE KEY"));
  }
}

TEST_CASE("a Secret that cannot be built says why") {
  const test::TestCa ca = test::make_root_ca();
  Issued issued = issue(ca);
  SECTION("the key is not the certificate's") {
    issued.input.private_key_pem = *encode_private_key(test::make_key(PrivateKeyAlgorithm::ECDSA),
                                                       api::PrivateKeyEncoding::PKCS8);
    auto secret = build_tls_secret(issued.crt, issued.input);
    REQUIRE_FALSE(secret.ok());
    CHECK_THAT(secret.error().message(), Catch::Contains("does not match the private key"));
  }
  SECTION("an unknown PKCS#12 profile") {
    issued.crt.spec.keystores = api::Keystores{};
    issued.crt.spec.keystores->pkcs12 = api::KeystoreOptions{true, std::nullopt, "pw", "Strong"};
    auto secret = build_tls_secret(issued.crt, issued.input);
    REQUIRE_FALSE(secret.ok());
    CHECK_THAT(secret.error().message(), Catch::Contains("\"Strong\" is not LegacyRC2"));
  }
  SECTION("a password Secret the controller did not read") {
    issued.crt.spec.keystores = api::Keystores{};
    issued.crt.spec.keystores->pkcs12 =
        api::KeystoreOptions{true, api::SecretKeySelector{"p12", "pw"}, "", ""};
    auto secret = build_tls_secret(issued.crt, issued.input);
    REQUIRE_FALSE(secret.ok());
    CHECK_THAT(secret.error().message(), Catch::Contains("from Secret p12 was not read"));
  }
  SECTION("JKS") {
    issued.crt.spec.keystores = api::Keystores{};
    issued.crt.spec.keystores->jks = api::KeystoreOptions{true, std::nullopt, "pw", ""};
    auto secret = build_tls_secret(issued.crt, issued.input);
    REQUIRE_FALSE(secret.ok());
    CHECK_THAT(secret.error().message(), Catch::Contains("JKS keystores are not supported yet"));
  }
}
