// The interface an order uses to prove control of an identifier: the
// controller's solvers (HTTP-01 through its responder, DNS-01 through a DNS
// provider) implement it. For each authorization the order asks choose()
// which of the offered challenges to take, then calls admit(), present(),
// and check() until it passes, before it tells the CA to validate, and
// cleanup() once the authorization is decided, also when validation failed
// or was cancelled.
#pragma once

#include <span>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "core/acme/problem.hpp"
#include "core/result.hpp"

namespace certmill::issuers::acme {

namespace asio = boost::asio;

// One challenge being proved: the authorization's identifier (for a wildcard
// its base name, with `wildcard` set), the challenge type chosen for it, and
// what the CA looks for.
struct ChallengeTask {
  certmill::acme::Identifier identifier = {};
  bool wildcard = false;
  std::string type = {};  // "http-01", "dns-01"
  std::string token = {};
  std::string key_authorization = {};

  // The name as selectors and Challenge objects know it: "*.example.com".
  std::string dns_name() const { return (wildcard ? "*." : "") + identifier.value; }
};

class ChallengeSolver {
 public:
  virtual ~ChallengeSolver() = default;
  // The challenge type that proves the identifier, among those the CA
  // `offered` (in its order); an error says why none can (no solver is
  // configured for the name, or none for an offered type). By default
  // HTTP-01, for a name that is not a wildcard.
  virtual Result<std::string> choose(const certmill::acme::Identifier& identifier, bool wildcard,
                                     std::span<const std::string> offered);
  // Returns once the challenge may be presented (a limit on how many are at
  // once); nothing about it is shown or made before. An error (cancelled
  // while waiting) ends the authorization with no cleanup() to call.
  virtual asio::awaitable<Status> admit(const ChallengeTask& /*task*/) { co_return Status{}; }
  // Makes the key authorization available where the CA looks (HTTP-01: at
  // /.well-known/acme-challenge/<token> on the name's host; DNS-01: its
  // digest in the TXT record _acme-challenge.<name>).
  virtual asio::awaitable<Status> present(const ChallengeTask& task) = 0;
  // Whether the CA would find it now (cert-manager's self-check, or the
  // propagation check for DNS-01): an error says what the CA would see
  // instead. The order asks again later; it never tells the CA to look
  // before this passes, so a route or record still on its way costs no
  // failed authorization.
  virtual asio::awaitable<Status> check(const ChallengeTask& task) = 0;
  virtual asio::awaitable<void> cleanup(const ChallengeTask& task) = 0;
};

}  // namespace certmill::issuers::acme
