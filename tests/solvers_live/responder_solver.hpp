// The ChallengeSolver an order uses to answer HTTP-01 from certmill's own
// responder: present() puts the key authorization where the listener serves
// it, check() is the real self-check, cleanup() takes it away. (issuers/ and solvers/ may not
// include each other; the controller joins them with the same few lines.) Records what it was
// asked, and how many tokens the responder held after each present.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "issuers/acme/solver.hpp"
#include "solvers/http01/responder.hpp"
#include "solvers/http01/self_check.hpp"

namespace certmill::test {

class ResponderSolver : public issuers::acme::ChallengeSolver {
 public:
  ResponderSolver(solvers::Http01Responder& responder, solvers::SelfCheckOptions self_check)
      : responder_(responder), self_check_(std::move(self_check)) {}

  boost::asio::awaitable<Status> present(const issuers::acme::ChallengeTask& task) override {
    if (!responder_.present(task.token, task.key_authorization)) {
      co_return Error(Errc::invalid_value, "HTTP-01 challenge for " + task.identifier.value +
                                               ": the token \"" + task.token +
                                               "\" is not base64url (RFC 8555 §8.1); the "
                                               "responder refuses to serve it");
    }
    const std::lock_guard lock(mutex_);
    presented.push_back(task.identifier.value + " " + task.token);
    held_after_present.push_back(responder_.size());
    co_return Status{};
  }

  boost::asio::awaitable<Status> check(const issuers::acme::ChallengeTask& task) override {
    Status checked = co_await solvers::check_http01(task.identifier.value, task.token,
                                                    task.key_authorization, self_check_);
    const std::lock_guard lock(mutex_);
    checks.push_back(checked ? "ok" : checked.error().message());
    co_return checked;
  }

  boost::asio::awaitable<void> cleanup(const issuers::acme::ChallengeTask& task) override {
    responder_.cleanup(task.token);
    const std::lock_guard lock(mutex_);
    cleaned.push_back(task.identifier.value + " " + task.token);
    co_return;
  }

  std::vector<std::string> presented;  // "name token"
  std::vector<std::string> cleaned;    // "name token"
  std::vector<std::size_t> held_after_present;
  std::vector<std::string> checks;  // "ok" or what the check saw

 private:
  solvers::Http01Responder& responder_;
  solvers::SelfCheckOptions self_check_;
  std::mutex mutex_;
};

}  // namespace certmill::test
