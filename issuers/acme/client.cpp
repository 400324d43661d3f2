// The Client: nonce pool, JWS signing, badNonce retries and problem errors
// over a Transport, each request reported to the configured observer; the
// wait before a transient failure is retried.
#include "issuers/acme/client.hpp"

#include <chrono>
#include <random>

#include <boost/asio/this_coro.hpp>

#include "core/acme/base64url.hpp"
#include "core/acme/jws.hpp"
#include "core/acme/link.hpp"
#include "core/acme/problem.hpp"
#include "core/log.hpp"

namespace certmill::issuers::acme {
namespace {

namespace proto = certmill::acme;

constexpr std::string_view kJose = "application/jose+json";
// Nonces expire at the CA; the newest are the likeliest to be accepted, and
// more than a few dozen means requests finished faster than they started.
constexpr std::size_t kMaxPooledNonces = 32;
// RFC 8555 §6.5 promises that the nonce sent with badNonce is accepted, so one
// retry would do; Pebble rejects 5% of good nonces at random, the fresh one
// included, and a single retry then fails one request in 400. Five retries
// make that one in 64 million while a CA that keeps refusing still ends here.
constexpr int kBadNonceRetries = 5;

Error with_context(const Error& error, std::string_view context) {
  Error out(error.code(), std::string(context) + ": " + error.message());
  if (auto after = error.retry_after())
    return std::move(out).with_retry_after(*after);
  return out;
}

}  // namespace

asio::awaitable<bool> cancelled() {
  const auto state = co_await asio::this_coro::cancellation_state;
  co_return state.cancelled() != asio::cancellation_type::none;
}

Error cancelled_error(std::string_view while_doing) {
  return Error(std::make_error_code(std::errc::operation_canceled),
               "cancelled while " + std::string(while_doing));
}

Result<std::unique_ptr<Client>> Client::create(std::unique_ptr<Transport> transport,
                                               ClientConfig config, pki::PrivateKey account_key,
                                               reactor::Clock& clock) {
  if (Result<proto::JwsAlgorithm> alg = proto::jws_algorithm_for(account_key.get()); !alg)
    return with_context(alg.error(), "ACME account key");
  auto jwk = proto::jwk_of(account_key.get());
  if (!jwk)
    return with_context(jwk.error(), "ACME account key");
  return std::unique_ptr<Client>(new Client(std::move(transport), std::move(config),
                                            std::move(account_key), std::move(*jwk), clock));
}

Client::Client(std::unique_ptr<Transport> transport, ClientConfig config, pki::PrivateKey key,
               Jwk jwk, reactor::Clock& clock)
    : transport_(std::move(transport)),
      config_(std::move(config)),
      key_(std::move(key)),
      jwk_(std::move(jwk)),
      thumbprint_(proto::jwk_thumbprint(jwk_)),
      clock_(clock),
      spread_(std::random_device{}()),
      new_order_gate_(clock, config_.new_orders) {}

asio::awaitable<Result<Directory>> Client::directory() {
  if (directory_)
    co_return *directory_;
  const std::string context = "GET " + config_.directory_url;
  HttpRequest request;
  request.url = config_.directory_url;
  request.accept = "application/json";
  auto response = co_await exchange(std::move(request));
  if (!response)
    co_return with_context(response.error(), context);
  auto decoded = proto::decode_directory(response->body);
  if (!decoded)
    co_return with_context(decoded.error(), context);
  directory_ = std::move(*decoded);
  co_return *directory_;
}

asio::awaitable<Result<HttpResponse>> Client::get(std::string url, std::string accept) {
  const std::string context = "GET " + url;
  HttpRequest request;
  request.url = std::move(url);
  request.accept = std::move(accept);
  auto response = co_await exchange(std::move(request));
  if (!response)
    co_return with_context(response.error(), context);
  co_return response;
}

asio::awaitable<Result<HttpResponse>> Client::post(std::string url, std::string payload,
                                                   std::string accept) {
  if (account_url_.empty())
    co_return Error(Errc::invalid_argument,
                    "POST " + url + ": no ACME account yet (register or look it up first)");
  co_return co_await signed_post(std::move(url), std::move(payload), std::move(accept), false);
}

asio::awaitable<Result<HttpResponse>> Client::post_with_jwk(std::string url, std::string payload) {
  co_return co_await signed_post(std::move(url), std::move(payload), {}, true);
}

asio::awaitable<Result<HttpResponse>> Client::post_as_get(std::string url, std::string accept) {
  co_return co_await post(std::move(url), {}, std::move(accept));
}

asio::awaitable<Result<HttpResponse>> Client::signed_post(std::string url, std::string payload,
                                                          std::string accept, bool with_jwk) {
  for (int attempt = 0;; ++attempt) {
    auto nonce = co_await take_nonce();
    if (!nonce)
      co_return with_context(nonce.error(), "POST " + url);
    const proto::JwsHeader header{
        .nonce = std::move(*nonce), .url = url, .kid = with_jwk ? std::string() : account_url_};
    auto body = proto::sign_jws(key_.get(), header, payload);
    if (!body)
      co_return with_context(body.error(), "signing POST " + url);
    auto response = co_await exchange({.method = "POST",
                                       .url = url,
                                       .body = std::move(*body),
                                       .content_type = std::string(kJose),
                                       .accept = accept});
    if (!response && response.error().code() == proto::ProblemType::BadNonce &&
        attempt < kBadNonceRetries) {
      // exchange() pooled the fresh nonce that came with the refusal.
      ++bad_nonce_retries_;
      continue;
    }
    if (!response)
      co_return with_context(response.error(), "POST " + url);
    co_return response;
  }
}

asio::awaitable<Result<std::string>> Client::take_nonce() {
  if (!nonces_.empty()) {
    std::string nonce = std::move(nonces_.back());
    nonces_.pop_back();
    co_return nonce;
  }
  auto dir = co_await directory();
  if (!dir)
    co_return dir.error();
  HttpRequest request;
  request.method = "HEAD";
  request.url = dir->new_nonce;
  auto response = co_await exchange(std::move(request));
  if (!response)
    co_return with_context(response.error(), "HEAD " + dir->new_nonce);
  if (nonces_.empty())
    co_return Error(Errc::invalid_value,
                    "HEAD " + dir->new_nonce + ": the CA answered without a usable Replay-Nonce");
  std::string nonce = std::move(nonces_.back());
  nonces_.pop_back();
  co_return nonce;
}

asio::awaitable<Result<HttpResponse>> Client::exchange(HttpRequest request) {
  co_await asio::this_coro::throw_if_cancelled(false);
  if (co_await cancelled())
    co_return cancelled_error(request.method + " " + request.url);
  RequestObserver* observer = config_.observer.get();
  const std::string method = observer ? request.method : std::string();
  const std::string url = observer ? request.url : std::string();
  const auto sent = std::chrono::steady_clock::now();
  auto response = co_await transport_->send(std::move(request), config_.request_timeout);
  if (observer) {
    // Timed on the steady clock: the client's clock may be a test's fake one.
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - sent;
    observer->observe(request_labels(method, url, response ? response->status : 0), took.count());
  }
  if (!response)
    co_return response.error();
  // Every answer, errors included, may carry the next nonce (§6.5).
  if (proto::is_base64url(response->replay_nonce)) {
    nonces_.push_back(std::move(response->replay_nonce));
    if (nonces_.size() > kMaxPooledNonces)
      nonces_.pop_front();
  }
  if (response->status >= 200 && response->status < 300)
    co_return response;
  proto::Problem problem =
      proto::problem_from_response(static_cast<int>(response->status), response->body);
  problem.type = answer_problem_type(response->status, problem.type);
  Error error = proto::problem_error(problem);
  const auto now = std::chrono::floor<std::chrono::seconds>(clock_.now());
  if (auto after = proto::parse_retry_after(response->retry_after, now))
    co_return std::move(error).with_retry_after(*after);
  co_return error;
}

asio::awaitable<Status> Client::wait_to_retry(const Error& failure, int attempt,
                                              reactor::TimePoint give_up_at) {
  if (!is_transient(failure))
    co_return failure;
  const double spread = std::uniform_real_distribution<double>(0.0, 1.0)(spread_);
  const Duration wait =
      retry_wait(config_.transient_backoff, failure.retry_after(), attempt, spread);
  if (clock_.now() + std::chrono::duration_cast<reactor::TimePoint::duration>(wait) > give_up_at) {
    if (attempt == 0)
      co_return failure;
    Error out(failure.code(), failure.message() + " (sent " + std::to_string(attempt + 1) +
                                  " times; no time is left to try again)");
    if (auto after = failure.retry_after())
      co_return std::move(out).with_retry_after(*after);
    co_return out;
  }
  if (co_await cancelled())
    co_return cancelled_error("waiting to retry after: " + failure.message());
  log::debug(
      "retrying an ACME request after a transient failure",
      {{"error", failure.message()}, {"attempt", attempt + 1}, {"wait", format_duration(wait)}});
  if (auto ec = co_await clock_.sleep_for(wait); ec)
    co_return cancelled_error("waiting to retry after: " + failure.message());
  ++transient_retries_;
  co_return Status{};
}

}  // namespace certmill::issuers::acme
