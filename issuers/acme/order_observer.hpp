// What an order reports as it goes, for whoever keeps a record of it (the
// controller's Order and Challenge objects, which `kubectl describe` shows):
// one call per state change, in protocol order. The order waits for each
// call, so a record is never behind the CA by more than one step; a record
// that cannot be written is the observer's to log, never the order's failure.
#pragma once

#include <string>

#include <boost/asio/awaitable.hpp>

#include "core/acme/objects.hpp"

namespace certmill::issuers::acme {

namespace asio = boost::asio;

class OrderObserver {
 public:
  virtual ~OrderObserver() = default;
  // The CA made the order (§7.4): its URL and what it asks for.
  virtual asio::awaitable<void> order_created(std::string url, certmill::acme::Order order) = 0;
  // The challenge chosen for an authorization, before it is presented.
  virtual asio::awaitable<void> challenge_started(std::string authorization_url,
                                                  certmill::acme::Authorization authorization,
                                                  certmill::acme::Challenge challenge,
                                                  std::string key_authorization) = 0;
  // The solver presented the challenge (`error` empty) or could not (why),
  // before its first check.
  virtual asio::awaitable<void> challenge_presented(certmill::acme::Challenge challenge,
                                                    std::string error) = 0;
  // The solver's check did not pass yet (`reason`, "Waiting for HTTP-01
  // challenge propagation: ..."); the order checks again later. Called on
  // every failed check, so a record writes only what changed.
  virtual asio::awaitable<void> challenge_waiting(certmill::acme::Challenge challenge,
                                                  std::string reason) = 0;
  // Its authorization ended: "valid"; "invalid" with the CA's reason; or
  // "errored" when the CA never decided (the solver or the self-check
  // failed, the network, a deadline).
  virtual asio::awaitable<void> challenge_finished(certmill::acme::Challenge challenge,
                                                   std::string state, std::string reason) = 0;
  // The order moved on (ready, processing, valid) or ended in failure
  // (invalid, or errored for failures outside the protocol, with a reason).
  virtual asio::awaitable<void> order_state(std::string state, std::string reason) = 0;
};

}  // namespace certmill::issuers::acme
