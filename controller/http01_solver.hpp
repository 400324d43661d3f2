// The ChallengeSolver ACME orders use: HTTP-01 answered by certmill's own
// responder (--http01-listen-address). present() puts the key authorization
// where the listener serves it to any shard's order, check() asks the name
// for it over HTTP as the CA will, cleanup() takes it away.
// issuers/ and solvers/ may not include each other; the controller joins them.
#pragma once

#include <string>

#include <boost/asio/awaitable.hpp>

#include "issuers/acme/solver.hpp"
#include "solvers/http01/responder.hpp"
#include "solvers/http01/self_check.hpp"

namespace certmill::controller {

namespace asio = boost::asio;

class Http01Solver : public issuers::acme::ChallengeSolver {
 public:
  Http01Solver(solvers::Http01Responder& responder, solvers::SelfCheckOptions self_check)
      : responder_(responder), self_check_(std::move(self_check)) {}

  asio::awaitable<Status> present(const issuers::acme::ChallengeTask& task) override {
    if (!responder_.present(task.token, task.key_authorization))
      co_return Error(Errc::invalid_value,
                      "the CA's HTTP-01 token for " + task.identifier.value +
                          " is not base64url (RFC 8555 §8.1); certmill does not serve it");
    co_return Status{};
  }

  asio::awaitable<Status> check(const issuers::acme::ChallengeTask& task) override {
    co_return co_await solvers::check_http01(task.identifier.value, task.token,
                                             task.key_authorization, self_check_);
  }

  asio::awaitable<void> cleanup(const issuers::acme::ChallengeTask& task) override {
    responder_.cleanup(task.token);
    co_return;
  }

 private:
  solvers::Http01Responder& responder_;
  solvers::SelfCheckOptions self_check_;
};

}  // namespace certmill::controller
