// Client: one ACME CA directory and one account key, as RFC 8555 §6 and §7.2
// describe talking to a CA: the directory fetched once, a pool of nonces
// refilled from every response's Replay-Nonce, JWS-signed POSTs (jwk before
// the account exists, kid after), POST-as-GET, and error answers turned into
// typed problem errors that carry the CA's Retry-After. Every request it
// sends is reported to its config's observer (request_observer.hpp). It
// sends each request once (badNonce apart): which ones are safe to send again
// after a transient failure is the order's to say (order.cpp), and
// wait_to_retry() the wait between. Lives on one shard.
#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <random>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "core/acme/jwk.hpp"
#include "core/acme/objects.hpp"
#include "core/duration.hpp"
#include "core/pki/keys.hpp"
#include "core/result.hpp"
#include "issuers/acme/new_order_gate.hpp"
#include "issuers/acme/request_observer.hpp"
#include "issuers/acme/transient.hpp"
#include "issuers/acme/transport.hpp"
#include "reactor/clock.hpp"

namespace certmill::issuers::acme {

using certmill::acme::Directory;
using certmill::acme::Jwk;

struct ClientConfig {
  std::string directory_url;
  Duration request_timeout = std::chrono::seconds(30);
  NewOrderLimits new_orders = {};  // the initializer keeps designated initializers warning-free
  RetryBackoff transient_backoff = {};
  // Hears of every request sent to the CA (metrics); none when null.
  std::shared_ptr<RequestObserver> observer = {};
};

class Client {
 public:
  // Fails when the account key cannot sign JWS (only EC P-256/384/521 and RSA
  // can). `clock` dates Retry-After answers and must outlive the client.
  static Result<std::unique_ptr<Client>> create(std::unique_ptr<Transport> transport,
                                                ClientConfig config, pki::PrivateKey account_key,
                                                reactor::Clock& clock);

  // The directory, fetched on first use and kept: RFC 8555 §7.1.1 lets a
  // client cache it. A directory that lacks newNonce, newAccount or newOrder
  // is an error naming the member.
  asio::awaitable<Result<Directory>> directory();

  // Signed with the account URL as kid: every request but newAccount. An error
  // when no account URL is set yet.
  asio::awaitable<Result<HttpResponse>> post(std::string url, std::string payload,
                                             std::string accept = {});
  // Signed with the account's public key as jwk: newAccount only (§6.2).
  asio::awaitable<Result<HttpResponse>> post_with_jwk(std::string url, std::string payload);
  // A plain GET, for the resources RFC 9773 serves unauthenticated
  // (renewalInfo): no JWS, but a problem answer is an Error all the same.
  asio::awaitable<Result<HttpResponse>> get(std::string url, std::string accept = {});
  // POST-as-GET (§6.3): how every resource is read once an account exists.
  asio::awaitable<Result<HttpResponse>> post_as_get(std::string url, std::string accept = {});

  // The account's URL (kid), set by registration or lookup (account.hpp).
  const std::string& account_url() const { return account_url_; }
  void set_account_url(std::string url) { account_url_ = std::move(url); }

  const Jwk& jwk() const { return jwk_; }
  // RFC 7638 thumbprint: the second half of every key authorization.
  const std::string& thumbprint() const { return thumbprint_; }
  reactor::Clock& clock() const { return clock_; }
  // The account's newOrder requests wait here after a rate limit (new_order.hpp).
  NewOrderGate& new_order_gate() { return new_order_gate_; }
  const ClientConfig& config() const { return config_; }

  std::size_t pooled_nonces() const { return nonces_.size(); }
  // badNonce answers retried with a fresh nonce since the client was made.
  std::size_t bad_nonce_retries() const { return bad_nonce_retries_; }

  // Before a request that failed with `failure` is sent again, for the
  // `attempt`th time (0 the first): when the failure is transient
  // (transient.hpp), waits its backoff on clock() and counts it in
  // transient_retries(). The failure itself when it is not transient, or when
  // the wait would end after `give_up_at`; an operation_canceled error when
  // the coroutine is cancelled.
  asio::awaitable<Status> wait_to_retry(const Error& failure, int attempt,
                                        reactor::TimePoint give_up_at);
  // Requests sent again after a transient failure since the client was made.
  std::size_t transient_retries() const { return transient_retries_; }

 private:
  Client(std::unique_ptr<Transport> transport, ClientConfig config, pki::PrivateKey key, Jwk jwk,
         reactor::Clock& clock);

  asio::awaitable<Result<HttpResponse>> signed_post(std::string url, std::string payload,
                                                    std::string accept, bool with_jwk);
  asio::awaitable<Result<std::string>> take_nonce();
  // Sends, reports the request to the observer, keeps the answer's nonce,
  // and turns an error status into an Error.
  asio::awaitable<Result<HttpResponse>> exchange(HttpRequest request);

  std::unique_ptr<Transport> transport_;
  ClientConfig config_;
  pki::PrivateKey key_;
  Jwk jwk_;
  std::string thumbprint_;
  reactor::Clock& clock_;
  std::optional<Directory> directory_;
  std::string account_url_;
  std::deque<std::string> nonces_;
  std::size_t bad_nonce_retries_ = 0;
  std::size_t transient_retries_ = 0;
  // Spreads the retry waits (retry_wait's `spread`); seeded per client.
  std::minstd_rand spread_;
  NewOrderGate new_order_gate_;
};

// Whether the awaiting coroutine has been cancelled; ACME coroutines check it
// between requests and report it as an error (they run with
// throw_if_cancelled(false), as certmill's long-running coroutines do).
asio::awaitable<bool> cancelled();
Error cancelled_error(std::string_view while_doing);

}  // namespace certmill::issuers::acme
