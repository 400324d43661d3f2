// ACME Renewal Information: RFC 9773's CertID example, serial encodings,
// window decoding, and the pure choices made from a window.
#include "core/acme/ari.hpp"

#include <cmath>
#include <limits>

#include <catch2/catch.hpp>
#include <openssl/x509v3.h>

#include "core/acme/base64url.hpp"
#include "core/pki/keys.hpp"
#include "core/pki/pem.hpp"

using namespace certmill;
using namespace certmill::acme;
using namespace std::chrono;

namespace {

// RFC 9773 Appendix A: AKI keyIdentifier 69:88:5B:...:C8:D4, serial 0x87654321.
constexpr std::string_view kRfcCertificate = R"(-----BEGIN CERTIFICATE-----
MIIBQzCB66ADAgECAgUAh2VDITAKBggqhkjOPQQDAjAVMRMwEQYDVQQDEwpFeGFt
cGxlIENBMCIYDzAwMDEwMTAxMDAwMDAwWhgPMDAwMTAxMDEwMDAwMDBaMBYxFDAS
BgNVBAMTC2V4YW1wbGUuY29tMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEeBZu
7cbpAYNXZLbbh8rNIzuOoqOOtmxA1v7cRm//AwyMwWxyHz4zfwmBhcSrf47NUAFf
qzLQ2PPQxdTXREYEnKMjMCEwHwYDVR0jBBgwFoAUaYhba4dGQEHhs3uEe6CuLN4B
yNQwCgYIKoZIzj0EAwIDRwAwRAIge09+S5TZAlw5tgtiVvuERV6cT4mfutXIlwTb
+FYN/8oCIClDsqBklhB9KAelFiYt9+6FDj3z4KGVelYM5MdsO3pK
-----END CERTIFICATE-----
)";

Time at(int y, unsigned m, unsigned d, int h = 0) {
  return sys_days(year(y) / month(m) / day(d)) + hours(h);
}

// A self-signed certificate with `serial` (big-endian magnitude) and, when
// `key_id` is non-empty, an AKI carrying it.
pki::X509Ptr make_certificate(const std::string& serial, const std::string& key_id) {
  auto key = pki::generate_private_key(pki::KeySpec{api::PrivateKeyAlgorithm::ECDSA, 256});
  REQUIRE(key.ok());
  pki::X509Ptr cert(X509_new());
  X509_set_version(cert.get(), 2);
  pki::BnPtr bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(serial.data()),
                          static_cast<int>(serial.size()), nullptr));
  pki::Asn1IntPtr asn1(BN_to_ASN1_INTEGER(bn.get(), nullptr));
  X509_set_serialNumber(cert.get(), asn1.get());
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
  X509_set_pubkey(cert.get(), key->get());
  if (!key_id.empty()) {
    pki::AkidPtr akid(AUTHORITY_KEYID_new());
    akid->keyid = ASN1_OCTET_STRING_new();
    ASN1_OCTET_STRING_set(akid->keyid, reinterpret_cast<const unsigned char*>(key_id.data()),
                          static_cast<int>(key_id.size()));
    REQUIRE(X509_add1_ext_i2d(cert.get(), NID_authority_key_identifier, akid.get(), 0, 0) == 1);
  }
  REQUIRE(X509_sign(cert.get(), key->get(), EVP_sha256()) > 0);
  return cert;
}

std::string serial_part(const std::string& cert_id) {
  const auto dot = cert_id.find('.');
  REQUIRE(dot != std::string::npos);
  auto serial = base64url_decode(cert_id.substr(dot + 1));
  REQUIRE(serial.ok());
  return *serial;
}

}  // namespace

TEST_CASE("the CertID of RFC 9773's example certificate is the RFC's") {
  auto id = ari_cert_id(kRfcCertificate);
  REQUIRE(id.ok());
  CHECK(*id == "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE");

  auto blocks = pki::pem_decode(kRfcCertificate, "example");
  REQUIRE(blocks.ok());
  auto from_der = ari_cert_id(std::string_view((*blocks)[0].der));
  REQUIRE(from_der.ok());
  CHECK(*from_der == *id);
}

TEST_CASE("the serial part keeps DER's sign octet and nothing else") {
  const std::string key_id("\x01\x02\x03\x04", 4);
  // Top bit clear: no leading zero.
  auto small = ari_cert_id(make_certificate("\x7f\x01", key_id).get());
  REQUIRE(small.ok());
  CHECK(serial_part(*small) == std::string("\x7f\x01", 2));
  CHECK(small->starts_with(base64url_encode(key_id) + "."));
  // Top bit set: DER adds 0x00, and so does the CertID.
  auto high = ari_cert_id(make_certificate(std::string("\x80\x00\x01", 3), key_id).get());
  REQUIRE(high.ok());
  CHECK(serial_part(*high) == std::string("\x00\x80\x00\x01", 4));
  // A 20-octet serial, the longest RFC 5280 allows, as CAs issue them.
  const std::string twenty(
      "\x05\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff\x01"
      "\x02\x03\x04",
      20);
  auto full = ari_cert_id(make_certificate(twenty, key_id).get());
  REQUIRE(full.ok());
  CHECK(serial_part(*full) == twenty);
  // Longer than 127 octets: DER's long-form length must be stepped over too.
  const std::string huge = "\x01" + std::string(149, '\x42');
  auto longest = ari_cert_id(make_certificate(huge, key_id).get());
  REQUIRE(longest.ok());
  CHECK(serial_part(*longest) == huge);
}

TEST_CASE("a certificate without an AKI, or no certificate, has no CertID") {
  auto none = ari_cert_id(make_certificate("\x01", "").get());
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().message().find("authority key identifier") != std::string::npos);
  CHECK_FALSE(ari_cert_id(std::string_view("not a certificate")).ok());
  CHECK_FALSE(ari_cert_id(std::string_view("")).ok());
  CHECK_FALSE(ari_cert_id(std::string_view(
                              "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"))
                  .ok());
  CHECK_FALSE(ari_cert_id(std::string_view(
                              "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))
                  .ok());
  CHECK_FALSE(ari_cert_id(static_cast<X509*>(nullptr)).ok());
}

TEST_CASE("renewalInfo decodes its window and explanation") {
  auto info = decode_renewal_info(R"({
    "suggestedWindow": {"start": "2025-01-02T04:00:00Z", "end": "2025-01-03T04:00:00.5Z"},
    "explanationURL": "https://acme.example.com/docs/ari"
  })");
  REQUIRE(info.ok());
  CHECK(info->suggested_window == RenewalWindow{at(2025, 1, 2, 4), at(2025, 1, 3, 4)});
  CHECK(info->explanation_url == "https://acme.example.com/docs/ari");
  CHECK(
      decode_renewal_info(
          R"({"suggestedWindow":{"start":"2025-01-02T04:00:00+02:00","end":"2025-01-03T04:00:00Z"}})")
          ->suggested_window.start == at(2025, 1, 2, 2));
}

TEST_CASE("a renewalInfo window that breaks RFC 9773 is an error") {
  for (const char* bad :
       {R"({})", R"({"suggestedWindow":{"start":"2025-01-02T04:00:00Z"}})",
        R"({"suggestedWindow":{"start":"2025-01-03T04:00:00Z","end":"2025-01-02T04:00:00Z"}})",
        R"({"suggestedWindow":{"start":"2025-01-02T04:00:00Z","end":"2025-01-02T04:00:00Z"}})",
        R"({"suggestedWindow":{"start":"soon","end":"2025-01-02T04:00:00Z"}})",
        R"({"suggestedWindow":[]})", "", "{", "[]"}) {
    INFO(bad);
    auto info = decode_renewal_info(bad);
    REQUIRE_FALSE(info.ok());
    CHECK(info.error().message().starts_with("ACME renewal info: "));
  }
}

TEST_CASE("the renewal time is uniform inside the window and always within it") {
  const RenewalWindow w{at(2025, 1, 2), at(2025, 1, 3)};
  CHECK(choose_renewal_time(w, 0.0) == w.start);
  CHECK(choose_renewal_time(w, 0.5) == at(2025, 1, 2, 12));
  CHECK(choose_renewal_time(w, 0.25) == at(2025, 1, 2, 6));
  for (double r :
       {0.999999999999, 1.0, 7.0, -0.5, std::nan(""), std::numeric_limits<double>::infinity(),
        -std::numeric_limits<double>::infinity()}) {
    INFO(r);
    const Time t = choose_renewal_time(w, r);
    CHECK(t >= w.start);
    CHECK(t < w.end);
  }
  const RenewalWindow one{at(2025, 1, 2), at(2025, 1, 2) + seconds(1)};
  CHECK(choose_renewal_time(one, 0.99) == one.start);
  const RenewalWindow backwards{at(2025, 1, 3), at(2025, 1, 2)};
  CHECK(choose_renewal_time(backwards, 0.5) == backwards.start);
}

TEST_CASE("ARI polling follows Retry-After within bounds") {
  CHECK(ari_poll_interval(std::nullopt) == hours(6));
  CHECK(ari_poll_interval(hours(3)) == hours(3));
  CHECK(ari_poll_interval(seconds(0)) == minutes(1));
  CHECK(ari_poll_interval(seconds(10)) == minutes(1));
  CHECK(ari_poll_interval(hours(24 * 365)) == hours(24));
  const AriPollBounds tight{.min = minutes(5), .max = minutes(30), .fallback = hours(2)};
  CHECK(ari_poll_interval(std::nullopt, tight) == minutes(30));
  CHECK(ari_poll_interval(minutes(10), tight) == minutes(10));
  // Inverted bounds cannot make clamp misbehave: min wins.
  const AriPollBounds inverted{.min = hours(2), .max = hours(1), .fallback = hours(1)};
  CHECK(ari_poll_interval(minutes(1), inverted) == hours(2));
}
