// The ChallengeSolver ACME orders use: HTTP-01 answered by certmill's own
// responder (--http01-listen-address). present() puts the key authorization
// where the listener serves it to any shard's order, cleanup() takes it away.
// issuers/ and solvers/ may not include each other; the controller joins them.
#pragma once

#include <string>

#include <boost/asio/awaitable.hpp>

#include "issuers/acme/solver.hpp"
#include "solvers/http01/responder.hpp"

namespace certmill::controller {

namespace asio = boost::asio;

class Http01Solver : public issuers::acme::ChallengeSolver {
 public:
  explicit Http01Solver(solvers::Http01Responder& responder) : responder_(responder) {}

  asio::awaitable<Status> present(const acme::Identifier& identifier, const std::string& token,
                                  const std::string& key_authorization) override {
    if (!responder_.present(token, key_authorization))
      co_return Error(Errc::invalid_value,
                      "the CA's HTTP-01 token for " + identifier.value +
                          " is not base64url (RFC 8555 §8.1); certmill does not serve it");
    co_return Status{};
  }

  asio::awaitable<void> cleanup(const acme::Identifier&, const std::string& token) override {
    responder_.cleanup(token);
    co_return;
  }

 private:
  solvers::Http01Responder& responder_;
};

}  // namespace certmill::controller
