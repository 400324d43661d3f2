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

  Result<std::string> choose(const acme::Identifier& identifier, bool wildcard,
                             std::span<const std::string> offered) override {
    return inner_->choose(identifier, wildcard, offered);
  }
  asio::awaitable<Status> admit(const issuers::acme::ChallengeTask& task) override;
  asio::awaitable<Status> present(const issuers::acme::ChallengeTask& task) override {
    co_return co_await inner_->present(task);
  }
  asio::awaitable<Status> check(const issuers::acme::ChallengeTask& task) override {
    co_return co_await inner_->check(task);
  }
  asio::awaitable<void> cleanup(const issuers::acme::ChallengeTask& task) override;

 private:
  std::shared_ptr<issuers::acme::ChallengeSolver> inner_;
  ChallengeGate& gate_;
};

}  // namespace certmill::controller
