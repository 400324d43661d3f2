// Who decides when an order's newOrder request may go, besides the order:
// the controller's per-account rate-limit line sends one account's newOrders
// one at a time across the whole process (a few at once when its limits were
// told) and, once the CA has refused a
// limit with 429, refuses at once the orders that would meet the same
// refusal. So a limit certmill was not told about costs one 429, not one per
// order in flight.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "core/result.hpp"

namespace certmill::issuers::acme {

namespace asio = boost::asio;

class NewOrderTurns {
 public:
  virtual ~NewOrderTurns() = default;
  // Waits for this order's turn to send newOrder, with ARI's `replaces` or
  // without (the CA counts the two differently, and an order whose
  // `replaces` the CA refused goes again without). An error (rateLimited,
  // with a Retry-After) when the CA has closed what the order needs: it is
  // not sent, and the caller must not call sent().
  virtual asio::awaitable<Status> enter(bool replaces) = 0;
  // The newOrder was answered (`outcome`: its error, when it failed) or
  // failed to be: the next may go, after a 429 has closed what it names.
  virtual void sent(const Status& outcome) = 0;
};

}  // namespace certmill::issuers::acme
