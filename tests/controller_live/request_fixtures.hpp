// What the tests of CertificateRequests no Certificate owns share: a key and
// its CSR, the request's path, its status.certificate, the approval or
// denial `cmctl approve` / `cmctl deny` write, and its Events. Header-only.
#pragma once

#include <string>

#include <catch2/catch.hpp>

#include "core/base64.hpp"
#include "core/pki/csr.hpp"
#include "core/pki/keys.hpp"
#include "tests/controller_live/harness.hpp"

namespace certmill::test {

struct Csr {
  pki::PrivateKey key;
  std::string pem;
};

// A new ECDSA key and a CSR for `spec`'s names and usages.
inline Csr make_csr(const api::CertificateSpec& spec) {
  auto key = pki::generate_private_key({.algorithm = api::PrivateKeyAlgorithm::ECDSA,
                                        .bits = 256,
                                        .encoding = api::PrivateKeyEncoding::PKCS1,
                                        .rotation = api::RotationPolicy::Always});
  REQUIRE(key);
  auto pem = pki::build_csr(spec, *key);
  REQUIRE(pem);
  return {std::move(*key), std::move(*pem)};
}

inline std::string request_path(const std::string& ns, const std::string& name) {
  return "/apis/cert-manager.io/v1/namespaces/" + ns + "/certificaterequests/" + name;
}

// status.certificate (PEM), "" while unsigned.
inline std::string request_certificate(ControllerHarness& h, const std::string& ns,
                                       const std::string& name) {
  auto request = h.get(request_path(ns, name));
  if (!request)
    return "";
  const auto& status = request->at("status").as_object();
  if (!status.contains("certificate"))
    return "";
  auto pem = base64_decode(std::string(status.at("certificate").as_string()));
  return pem ? *pem : "";
}

// What `cmctl approve` / `cmctl deny` write: a merge patch of the status
// subresource, which replaces the conditions certmill wrote.
inline void set_request_condition(ControllerHarness& h, const std::string& ns,
                                  const std::string& name, const std::string& type,
                                  const std::string& reason) {
  const std::string body =
      R"({"status":{"conditions":[{"type":")" + type + R"(","status":"True","reason":")" + reason +
      R"(","message":"by the test","lastTransitionTime":"2026-12-01T10:00:00Z"}]}})";
  REQUIRE(h.send("PATCH", request_path(ns, name) + "/status", body, "application/merge-patch+json")
              .status == 200);
}

inline bool has_request_event(ControllerHarness& h, const std::string& ns, const std::string& name,
                              const std::string& text) {
  for (const std::string& e : h.events_for(ns, name)) {
    if (e.find(text) != std::string::npos)
      return true;
  }
  return false;
}

}  // namespace certmill::test
