// The first step of an order (RFC 8555 §7.4), newOrder, with what a CA that
// has rate limits and ARI adds to it. An ARI renewal (`replaces`, RFC 9773 §5)
// goes straight to the CA, since CAs exempt renewals from their limits (Let's
// Encrypt does); when the CA refuses the `replaces`, the order is asked for
// once more without it, as an ordinary order. Ordinary orders pass the
// account's NewOrderGate, and a 429 with Retry-After closes the gate: the
// order waits there with the others and tries again, a bounded number of times.
// Every newOrder request also waits for the order's turns (new_order_turns.hpp),
// when it has them.
#pragma once

#include <string>

#include <boost/asio/awaitable.hpp>

#include "core/result.hpp"
#include "issuers/acme/client.hpp"
#include "issuers/acme/identifiers.hpp"
#include "issuers/acme/order.hpp"

namespace certmill::issuers::acme {

struct CreatedOrder {
  std::string url;  // the Location
  HttpResponse response;
  bool replaces_dropped = false;  // asked with `replaces`, created without it
};

// Needs the client's account URL set. A `replaces` is not sent to a CA whose
// directory has no renewalInfo (RFC 9773 §5: clients SHOULD NOT), which also
// counts as dropped.
asio::awaitable<Result<CreatedOrder>> create_order(Client& client, const Directory& directory,
                                                   const OrderCsr& csr,
                                                   const OrderRequest& request);

// Whether a newOrder refusal is about `replaces`: alreadyReplaced (the one
// answer §5 prescribes, HTTP 409), or another client error whose detail names
// the replaced certificate (§5 leaves the type of the other refusals, such as
// another account's certificate or no shared identifier, to the CA; Let's
// Encrypt and acme-front answer malformed). Rate limits, bad nonces and server
// errors are not, whatever they say.
bool refuses_replaces(const Error& error);

}  // namespace certmill::issuers::acme
