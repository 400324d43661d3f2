// What the DNS-01 tests share: an ACME Issuer on Pebble with the solvers a
// test writes, Certificates from it, certmill's DNS settings pointed at a
// NamedServer, and the BIND + Pebble + controller trio with waits that move
// the fake clock. Header-only.
#pragma once

#include <string>
#include <vector>

#include "core/base64.hpp"
#include "tests/controller_live/acme_fixtures.hpp"
#include "tests/support/named_server.hpp"
#include "tests/support/pebble.hpp"

namespace certmill::test {

// A Secret in "shop" with one key, as a provider's credentials are kept.
inline std::string secret_yaml(const std::string& name, const std::string& key,
                               const std::string& value) {
  return "apiVersion: v1\nkind: Secret\nmetadata:\n  name: " + name +
         "\n  namespace: shop\ndata:\n  " + key + ": " + base64_encode(value) + "\n";
}

inline std::string issuer_yaml(const Pebble& pebble, const std::string& solvers) {
  return R"(apiVersion: cert-manager.io/v1
kind: Issuer
metadata:
  name: dns
  namespace: shop
spec:
  acme:
    server: )" +
         pebble.directory_url + R"(
    caBundle: )" +
         base64_encode(pebble.tls_certificate_pem()) + R"(
    privateKeySecretRef:
      name: dns-account
    solvers:
)" + solvers;
}

// A Certificate from the Issuer "dns".
inline std::string dns_certificate_yaml(const std::string& name, const std::string& dns_names) {
  return certificate_yaml(name, dns_names, "    name: dns\n");
}

// certmill's DNS settings for a test: BIND answers as the recursive
// nameserver and as every zone's authoritative one.
inline controller::ControllerConfig dns_config(const NamedServer& named) {
  controller::ControllerConfig config = resolving_with(named.port);
  config.runtime.dns01_recursive_nameservers = {{"127.0.0.1", named.port}};
  config.runtime.dns01_authoritative_port = named.port;
  return config;
}

// BIND (also Pebble's resolver), Pebble and certmill, with the namespace
// "shop" applied; without `start_now` the controller waits for h.start().
struct Dns01Live {
  explicit Dns01Live(NamedOptions named_options = {}, bool http01 = false, bool start_now = true)
      : named(std::move(named_options)),
        pebble(PebbleOptions{.dns_server_port = named.port}),
        h(dns_config(named), start_now,
          http01 ? "127.0.0.1:" + std::to_string(pebble.http_port) : std::string()) {
    h.apply(kNamespace);
  }

  // Waits for the Certificate's condition while moving the fake clock.
  bool wait(const std::string& name, const std::string& type, const std::string& status,
            std::string* reason = nullptr, std::string* message = nullptr) {
    const std::string path = "/apis/cert-manager.io/v1/namespaces/shop/certificates/" + name;
    return eventually_moving_clock(
        h, [&] { return h.condition(path, type, reason, message) == status; });
  }
  // Waits until the Certificate's issuance failed, and says why.
  std::string failure(const std::string& name) {
    const std::string path = "/apis/cert-manager.io/v1/namespaces/shop/certificates/" + name;
    std::string reason, message;
    eventually_moving_clock(h, [&] {
      return h.condition(path, "Issuing", &reason, &message) == "False" && reason == "Failed";
    });
    return message;
  }
  std::vector<boost::json::value> challenges() { return items(h, "challenges"); }
  // Waits, moving the fake clock, until a Challenge's reason holds `text`;
  // `reason` is the last one seen.
  bool challenge_reason_with(const std::string& text, std::string& reason) {
    return eventually_moving_clock(h, [&] {
      for (const auto& challenge : challenges()) {
        const auto* status = challenge.as_object().if_contains("status");
        if (status && status->as_object().contains("reason"))
          reason = std::string(status->at("reason").as_string());
      }
      return reason.find(text) != std::string::npos;
    });
  }

  NamedServer named;
  Pebble pebble;
  ControllerHarness h;
};

}  // namespace certmill::test
