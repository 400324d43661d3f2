// Helpers for acme-front's live tests: Pebble, the front in front of it, and
// certmill's ACME client (registered) talking to the front; issuing orders
// and reading what came back.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "core/acme/ari.hpp"
#include "core/pki/x509.hpp"
#include "issuers/acme/order.hpp"
#include "tests/issuers_live/acme_live.hpp"
#include "tests/support/acme_front.hpp"

namespace certmill::test {

inline issuers::acme::TransportConfig trusting(const AcmeFront& front) {
  issuers::acme::TransportConfig config;
  config.ca_bundle_pem = front.tls_certificate_pem();
  return config;
}

// Pebble, the front with `flags`, and a registered client talking to the front.
// The client has no new-order gate, so each order meets the front's limits
// itself and a 429 is its error (VirtualClient tests the gate).
struct FrontSetup {
  explicit FrontSetup(std::vector<std::string> flags = {}, bool always_valid = true)
      : pebble(options(always_valid)),
        front(pebble, std::move(flags)),
        acme(front.directory_url, trusting(front), std::chrono::seconds(20), no_gate()) {
    register_account(acme);
  }
  static issuers::acme::NewOrderLimits no_gate() {
    issuers::acme::NewOrderLimits limits;
    limits.gate = false;
    return limits;
  }
  static PebbleOptions options(bool always_valid) {
    PebbleOptions o;
    o.always_valid = always_valid;
    return o;
  }

  Result<issuers::acme::IssuedChain> issue(std::vector<std::string> names,
                                           std::string replaces = {}, std::string profile = {}) {
    issuers::acme::OrderRequest request;
    request.csr_pem = csr_for(std::move(names));
    request.replaces = std::move(replaces);
    request.profile = std::move(profile);
    return acme.run([&]() -> asio::awaitable<Result<issuers::acme::IssuedChain>> {
      co_return co_await issuers::acme::issue_certificate(*acme.client, request, solver);
    });
  }

  // The ARI CertID of an issued chain's leaf.
  static std::string cert_id(const issuers::acme::IssuedChain& issued) {
    auto id = acme::ari_cert_id(issued.chain_pem);
    REQUIRE(id.ok());
    return *id;
  }

  // One plain request to the front (no JWS of the client's), for what a
  // client library would never send.
  issuers::acme::HttpResponse send(issuers::acme::HttpRequest request) {
    auto answer = acme.run([&]() -> asio::awaitable<Result<issuers::acme::HttpResponse>> {
      auto transport = issuers::acme::Transport::create(acme.shard().executor(), trusting(front));
      if (!transport)
        co_return transport.error();
      co_return co_await (*transport)->send(request, std::chrono::seconds(20));
    });
    INFO((answer.ok() ? "" : answer.error().message()));
    REQUIRE(answer.ok());
    return std::move(*answer);
  }

  // The front's origin, "https://127.0.0.1:PORT".
  std::string origin() const {
    return front.directory_url.substr(0, front.directory_url.find('/', 8));
  }

  Pebble pebble;
  AcmeFront front;
  AcmeShard acme;
  RecordingSolver solver;
};

// Fails the test with the error's message and the front's log unless it issued.
inline void require_issued(const FrontSetup& setup,
                           const Result<issuers::acme::IssuedChain>& result) {
  INFO((result.ok() ? std::string() : result.error().message()) << "\nfront log:\n"
                                                                << setup.front.log());
  REQUIRE(result.ok());
}

}  // namespace certmill::test
