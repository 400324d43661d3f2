// One certificate from an ACME CA as one coroutine, in RFC 8555 §7.4's order:
// new-order (or an earlier order resumed) → its authorizations, all at once
// (valid ones reused; the first failure cancels the rest): the challenge the
// solver chooses for each identifier presented, answered and polled →
// finalize with the CSR → the order polled until valid → the chain
// downloaded (an alternate one when preferred).
#pragma once

#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "core/result.hpp"
#include "core/time.hpp"
#include "issuers/acme/client.hpp"
#include "issuers/acme/new_order_turns.hpp"
#include "issuers/acme/order_observer.hpp"
#include "issuers/acme/poll.hpp"
#include "issuers/acme/solver.hpp"

namespace certmill::issuers::acme {

struct OrderRequest {
  std::string csr_pem;            // its DNS names and IPs become the order's identifiers
  std::string profile;            // draft-ietf-acme-profiles; empty sends none
  std::optional<Time> not_after;  // cert-manager sends it with enableDurationFeature
  std::string replaces;           // RFC 9773 ARI CertID of the certificate renewed
  std::string preferred_chain;    // issuer common name, as cert-manager's preferredChain
  // An order placed before for the same CSR (cert-manager's status.url):
  // continued from where it stands when it is still pending, ready,
  // processing or valid for the same identifiers; otherwise a new one.
  std::string resume_url = {};
  PollPolicy poll;
  OrderObserver* observer = nullptr;  // told of every state change, when set
  // Asked before every newOrder request, when set (new_order_turns.hpp).
  NewOrderTurns* turns = nullptr;
};

struct IssuedChain {
  std::string order_url;
  std::string certificate_url;
  std::string chain_pem;  // leaf first
  // The request named a certificate it `replaces`, and the CA refused that (or
  // offers no ARI), so this order was made without it: the CA does not count
  // it as a renewal, and the replaced certificate is not marked replaced.
  bool replaces_dropped = false;
};

// Needs the client's account URL set (account.hpp). An order or authorization
// that goes invalid returns the CA's problem as the error; so do the CA's
// refusals (with their Retry-After; a rate-limited newOrder waits first, see
// new_order.hpp). Cancellation between or during requests
// returns operation_canceled; cleanup() still runs for presented challenges,
// and the observer is not told the order ended: it can be continued.
asio::awaitable<Result<IssuedChain>> issue_certificate(Client& client, OrderRequest request,
                                                       ChallengeSolver& solver);

}  // namespace certmill::issuers::acme
