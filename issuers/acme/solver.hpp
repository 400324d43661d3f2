// The interface an order uses to prove control of an identifier: the HTTP-01
// responder (and later DNS-01 providers) implement it. The order calls
// admit(), then present(), then check() until it passes, before it tells the
// CA to validate, and cleanup() once the authorization is decided, also when
// validation failed or was cancelled.
#pragma once

#include <string>

#include <boost/asio/awaitable.hpp>

#include "core/acme/problem.hpp"
#include "core/result.hpp"

namespace certmill::issuers::acme {

namespace asio = boost::asio;

class ChallengeSolver {
 public:
  virtual ~ChallengeSolver() = default;
  // Returns once the challenge may be presented (a limit on how many are at
  // once); nothing about it is shown or made before. An error (cancelled
  // while waiting) ends the authorization with no cleanup() to call.
  virtual asio::awaitable<Status> admit(const certmill::acme::Identifier& /*identifier*/,
                                        const std::string& /*token*/) {
    co_return Status{};
  }
  // Makes `key_authorization` available where the CA looks for `token` (for
  // HTTP-01, /.well-known/acme-challenge/<token> on the identifier's host).
  // The identifier is what DNS-01 needs to name its record.
  virtual asio::awaitable<Status> present(const certmill::acme::Identifier& identifier,
                                          const std::string& token,
                                          const std::string& key_authorization) = 0;
  // Whether the CA would find the key authorization now (cert-manager's
  // self-check, or propagation check for DNS-01): an error says what the CA
  // would see instead. The order asks again later; it never tells the CA to
  // look before this passes, so a route still being set up costs no failed
  // authorization.
  virtual asio::awaitable<Status> check(const certmill::acme::Identifier& identifier,
                                        const std::string& token,
                                        const std::string& key_authorization) = 0;
  virtual asio::awaitable<void> cleanup(const certmill::acme::Identifier& identifier,
                                        const std::string& token) = 0;
};

}  // namespace certmill::issuers::acme
