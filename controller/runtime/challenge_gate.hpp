// A shard's ACME challenges presented at once, kept within its share of
// --max-concurrent-challenges: GatedSolver wraps the solver an order uses, so
// that admit() waits for a slot (ChallengeSlots) before the challenge's
// Challenge object, solver route or answer exist, and cleanup(), which the
// order calls once it is done, gives the slot back. One gate per shard, used
// on the shard's thread only.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>

#include <boost/asio/awaitable.hpp>

#include "controller/challenge_slots.hpp"
#include "issuers/acme/solver.hpp"
#include "reactor/notifier.hpp"

namespace certmill::controller {

namespace asio = boost::asio;

class ChallengeGate {
 public:
  explicit ChallengeGate(std::size_t limit) : slots_(limit) {}

  // Returns once `token` holds a slot; operation_canceled if cancelled first.
  asio::awaitable<Status> enter(const std::string& token);
  // `token` is done: its slot passes to the first in line, if any.
  void leave(const std::string& token);

  std::size_t presented() const { return slots_.held(); }
  std::size_t waiting() const { return slots_.waiting(); }

 private:
  ChallengeSlots slots_;
  std::unordered_map<std::string, reactor::Notifier*> waiters_;
};

class GatedSolver : public issuers::acme::ChallengeSolver {
 public:
  GatedSolver(std::shared_ptr<issuers::acme::ChallengeSolver> inner, ChallengeGate& gate)
      : inner_(std::move(inner)), gate_(gate) {}

  asio::awaitable<Status> admit(const acme::Identifier& identifier,
                                const std::string& token) override;
  asio::awaitable<Status> present(const acme::Identifier& identifier, const std::string& token,
                                  const std::string& key_authorization) override {
    co_return co_await inner_->present(identifier, token, key_authorization);
  }
  asio::awaitable<Status> check(const acme::Identifier& identifier, const std::string& token,
                                const std::string& key_authorization) override {
    co_return co_await inner_->check(identifier, token, key_authorization);
  }
  asio::awaitable<void> cleanup(const acme::Identifier& identifier,
                                const std::string& token) override;

 private:
  std::shared_ptr<issuers::acme::ChallengeSolver> inner_;
  ChallengeGate& gate_;
};

}  // namespace certmill::controller
