// `certmill inspect secret`'s layout from a Secret alone: the certificate's
// fields, the chain, the key by type and size, and not one line of the
// private key's PEM body anywhere in the output.
#include "tools/certmill/ops/secret_report.hpp"

#include <catch2/catch.hpp>

using namespace certmill;
using namespace certmill::ops;

namespace {

// openssl req -x509 -newkey ec (P-256) -days 3650 -subj /CN=web.example.com,
// SANs web. and www.example.com, made for this test.
constexpr std::string_view kCert = R"(-----BEGIN CERTIFICATE-----
MIIB2jCCAYCgAwIBAgIUEpEAXXVo/XtlqjKaJjBpm8W8UjEwCgYIKoZIzj0EAwIw
GjEYMBYGA1UEAwwPd2ViLmV4YW1wbGUuY29tMB4XDTI2MTIwNzAzMzQzN1oXDTM2
MTIwNDAzMzQzN1owGjEYMBYGA1UEAwwPd2ViLmV4YW1wbGUuY29tMFkwEwYHKoZI
zj0CAQYIKoZIzj0DAQcDQgAEshJMb1vZG44er88psANs8v9OZJQmlfInjZXtufHs
mqEYMcduzDxmhlkB4zx9UC0vg4N59BmMkhHxCW6CK/jEAaOBozCBoDAdBgNVHQ4E
FgQUxZawb++PF3npcUyyeT6heVKH2Z8wHwYDVR0jBBgwFoAUxZawb++PF3npcUyy
eT6heVKH2Z8wDwYDVR0TAQH/BAUwAwEB/zArBgNVHREEJDAigg93ZWIuZXhhbXBs
ZS5jb22CD3d3dy5leGFtcGxlLmNvbTALBgNVHQ8EBAMCBaAwEwYDVR0lBAwwCgYI
KwYBBQUHAwEwCgYIKoZIzj0EAwIDSAAwRQIge5Ho00lqHvDR21YO3e9rfPnJF46m
kqLqMREsd3kni4oCIQCQRgUuc+m81Eh+tLVvD7opwe0ZTNuc7jXGhZQZIKZFbg==
-----END CERTIFICATE-----
)";
constexpr std::string_view kKey = R"(-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgHoUJdiuL7DIiKErw
HAHNdUjiapnfYcKUX/CuazebVSahRANCAASyEkxvW9kbjh6vzymwA2zy/05klCaV
8ieNle258eyaoRgxx27MPGaGWQHjPH1QLS+Dg3n0GYySEfEJboIr+MQB
-----END PRIVATE KEY-----
)";
constexpr std::string_view kOtherKey = R"(-----BEGIN EC PRIVATE KEY-----
MHcCAQEEINJKpMgGQInYHjhSQvTJQnBz0yPJNkwgpYZ1N2r+9qC0oAoGCCqGSM49
AwEHoUQDQgAETnanYd6jlzuXfgZlcbKmIo00jTyNwSYW8F7SDCikXEWA2xvE0qDN
3dfohWAhNMMelS1rTBc+fHMFI0XRmh8m4A==
-----END EC PRIVATE KEY-----
)";

const Time kNow{std::chrono::seconds(1'800'000'000)};  // 2027-01-15, inside the validity

api::Secret tls_secret(std::string_view key) {
  api::Secret s;
  s.metadata.name = "web-tls";
  s.metadata.namespace_ = "shop";
  s.type = "kubernetes.io/tls";
  s.data["tls.crt"].data = std::string(kCert);
  s.data["tls.key"].data = std::string(key);
  s.data["ca.crt"].data = std::string(kCert);
  return s;
}

// Every line of a PEM block's base64 body.
std::vector<std::string> body_lines(std::string_view pem) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (auto nl = pem.find('\n'); nl != std::string_view::npos; nl = pem.find('\n', start)) {
    const auto line = pem.substr(start, nl - start);
    if (!line.empty() && !line.starts_with("-----"))
      out.emplace_back(line);
    start = nl + 1;
  }
  return out;
}

}  // namespace

TEST_CASE("inspect secret shows the certificate's fields and chain") {
  const auto report = secret_report(tls_secret(kKey), kNow, Paint(false));
  CHECK(report.well);
  for (const char* want :
       {"Secret shop/web-tls (kubernetes.io/tls), data: ca.crt, tls.crt, tls.key\n",
        "Private key (tls.key): ECDSA P-256, 241 bytes, matches the certificate\n",
        "  Subject:              CN=web.example.com\n",
        "  Issuer:               CN=web.example.com\n",
        "  Serial Number:        1291005d7568fd7b65aa329a2630699bc5bc5231\n",
        "  Not Before:           2026-12-07T03:34:37Z\n",
        "  Not After:            2036-12-04T03:34:37Z (expires in 9y",
        "  DNS Names:            web.example.com, www.example.com\n",
        "  IP Addresses:         <none>\n",
        "  Extended Key Usages:  ", "  Is a CA:              yes\n",
        "  Public Key:           ECDSA P-256\n", "  Signature Algorithm:  ecdsa-with-SHA256\n",
        "  SHA-256 Fingerprint:  5C:FD:BA:7D:E8:F4:F3:6D:65:EA:71:3A:3E:17:F6:08:2D:BF:37:96:A3:EA:"
        "BF:42:F7:0F:17:59:43:9D:99:D0\n",
        "Chain (tls.crt):\n", "CA (ca.crt):\n", "self-signed", "The certificate is valid now"}) {
    INFO(want);
    CHECK(report.text.find(want) != std::string::npos);
  }
}

TEST_CASE("inspect secret never prints any part of the private key") {
  for (auto key : {kKey, kOtherKey}) {
    const auto report = secret_report(tls_secret(key), kNow, Paint(false));
    for (const auto& line : body_lines(key)) {
      INFO(line);
      CHECK(report.text.find(line) == std::string::npos);
      CHECK(report.text.find(line.substr(0, 16)) == std::string::npos);
    }
    CHECK(report.text.find("PRIVATE KEY") == std::string::npos);
  }
}

TEST_CASE("a key of another certificate, an expired certificate, a missing one: not well") {
  auto other = secret_report(tls_secret(kOtherKey), kNow, Paint(false));
  CHECK_FALSE(other.well);
  CHECK(other.text.find("ECDSA P-256, 227 bytes, does NOT match the certificate") !=
        std::string::npos);
  const Time later{std::chrono::seconds(2'200'000'000)};  // 2039
  auto expired = secret_report(tls_secret(kKey), later, Paint(false));
  CHECK_FALSE(expired.well);
  CHECK(expired.text.find("(EXPIRED 2y") != std::string::npos);
  api::Secret empty = tls_secret(kKey);
  empty.data.erase("tls.crt");
  auto missing = secret_report(empty, kNow, Paint(false));
  CHECK_FALSE(missing.well);
  CHECK(missing.text.find("No certificate: the Secret has no tls.crt") != std::string::npos);
  empty.data["tls.key"].data =
      "-----BEGIN PRIVATE KEY-----\nnot base64 at all\n-----END PRIVATE KEY-----\n";
  auto garbled = secret_report(empty, kNow, Paint(false));
  CHECK(garbled.text.find("not base64") == std::string::npos);
  CHECK(garbled.text.find("does not parse as a private key") != std::string::npos);
}
