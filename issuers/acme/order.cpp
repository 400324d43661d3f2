// issue_certificate: the order pipeline, each step a request or a poll; the
// polls, and the waits before a request that failed transiently goes again,
// are on the client's clock so tests can drive them.
#include "issuers/acme/order.hpp"

#include <algorithm>
#include <cctype>
#include <exception>
#include <optional>
#include <tuple>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/acme/base64url.hpp"
#include "core/acme/jwk.hpp"
#include "core/acme/link.hpp"
#include "core/acme/problem.hpp"
#include "core/log.hpp"
#include "issuers/acme/chain.hpp"
#include "issuers/acme/identifiers.hpp"
#include "issuers/acme/new_order.hpp"
#include "issuers/acme/one_call_at_a_time.hpp"
#include "issuers/acme/transient.hpp"

namespace certmill::issuers::acme {
namespace {

namespace proto = certmill::acme;
using proto::AuthorizationStatus;
using proto::OrderStatus;

std::string describe(const proto::Identifier& id) {
  return id.type + " " + id.value;
}

// The CA's problem, prefixed with what it was about; without one, `fallback`.
// The CA's refusal as an error in the ACME problem category, also when it
// sent no problem document to say why.
Error failure(const std::optional<proto::Problem>& problem, const std::string& what,
              const std::string& fallback) {
  if (!problem)
    return Error(certmill::acme::make_error_code(proto::ProblemType::Other),
                 what + ": " + fallback);
  const Error error = proto::problem_error(*problem);
  return Error(error.code(), what + ": " + error.message());
}

// How an order or a challenge ended, in cert-manager's states: "invalid" when
// the CA refused or invalidated it, "errored" when something else stopped it
// (the solver, a self-check that never passed so the CA was never asked, the
// network, a deadline, an answer that does not parse).
template <class StatusOrResult>
const char* end_state(const StatusOrResult& result) {
  if (result)
    return "valid";
  return result.error().code().category() == certmill::acme::acme_problem_category() ? "invalid"
                                                                                     : "errored";
}

// Waits before poll `attempt`, or fails when the phase's time is up or the
// coroutine is cancelled. `what` names the thing polled in errors.
class Poller {
 public:
  Poller(Client& client, const PollPolicy& policy, std::string what)
      : client_(client),
        policy_(policy),
        what_(std::move(what)),
        give_up_at_(client.clock().now() + std::chrono::duration_cast<reactor::TimePoint::duration>(
                                               policy.give_up_after)) {}

  asio::awaitable<Status> wait(const HttpResponse& last) {
    reactor::Clock& clock = client_.clock();
    const auto now = std::chrono::floor<std::chrono::seconds>(clock.now());
    const auto retry_after = proto::parse_retry_after(last.retry_after, now);
    const auto interval = poll_interval(policy_, retry_after, attempt_++);
    if (clock.now() + interval > give_up_at_) {
      co_return Error(std::make_error_code(std::errc::timed_out),
                      what_ + ": still not done after " + format_duration(policy_.give_up_after));
    }
    if (co_await cancelled())
      co_return cancelled_error("waiting for " + what_);
    if (auto ec = co_await clock.sleep_for(interval); ec)
      co_return cancelled_error("waiting for " + what_);
    co_return Status{};
  }

  // Requests of the phase that fail transiently are retried until then too.
  reactor::TimePoint give_up_at() const { return give_up_at_; }

 private:
  Client& client_;
  const PollPolicy& policy_;
  std::string what_;
  reactor::TimePoint give_up_at_;
  int attempt_ = 0;
};

// Until when a step that is not a poll (a request and its retries) may go on:
// as long as a poll phase.
reactor::TimePoint step_deadline(Client& client, const PollPolicy& policy) {
  return client.clock().now() +
         std::chrono::duration_cast<reactor::TimePoint::duration>(policy.give_up_after);
}

// `send()`, and again after each transient failure (Client::wait_to_retry)
// until it succeeds, fails otherwise, or `give_up_at` comes. Only for what is
// safe to send twice: reads (POST-as-GET, the directory, a chain download).
template <class T, class Send>
asio::awaitable<Result<T>> retrying(Client& client, reactor::TimePoint give_up_at, Send send) {
  for (int attempt = 0;; ++attempt) {
    Result<T> result = co_await send();
    if (result)
      co_return result;
    if (Status waited = co_await client.wait_to_retry(result.error(), attempt, give_up_at); !waited)
      co_return waited.error();
  }
}

asio::awaitable<Result<HttpResponse>> read(Client& client, std::string url,
                                           reactor::TimePoint give_up_at) {
  co_return co_await retrying<HttpResponse>(client, give_up_at,
                                            [&] { return client.post_as_get(url); });
}

// Whether the CA has taken `challenge` up: it is no longer pending in its
// authorization (or gone from it).
asio::awaitable<Result<bool>> challenge_started(Client& client, const std::string& authz_url,
                                                const std::string& challenge_url,
                                                reactor::TimePoint give_up_at) {
  auto response = co_await read(client, authz_url, give_up_at);
  if (!response)
    co_return response.error();
  auto authz = proto::decode_authorization(response->body);
  if (!authz)
    co_return authz.error();
  const auto seen = std::find_if(authz->challenges.begin(), authz->challenges.end(),
                                 [&](const proto::Challenge& c) { return c.url == challenge_url; });
  co_return seen == authz->challenges.end() || seen->status != proto::ChallengeStatus::Pending;
}

// Tells the CA to validate `challenge` (§7.5.1). A failed answer may be the
// CA's to a second copy of the POST (the HTTPS client sends a request again
// on a new connection after a reset, and this loop after a transient
// failure), which a CA need not accept once the first started the validation
// (Pebble: "Cannot update challenge with status valid"): the authorization
// says whether it did, and the POST is sent again only while the challenge is
// still pending there. The polls that follow tell how the validation went.
asio::awaitable<Status> respond(Client& client, const std::string& authz_url,
                                const proto::Challenge& challenge, const PollPolicy& policy) {
  const auto give_up_at = step_deadline(client, policy);
  for (int attempt = 0;; ++attempt) {
    auto answered = co_await client.post(challenge.url, "{}");
    if (answered)
      co_return Status{};
    auto started = co_await challenge_started(client, authz_url, challenge.url, give_up_at);
    if (!started)
      co_return started.error();
    if (*started)
      co_return Status{};
    if (Status waited = co_await client.wait_to_retry(answered.error(), attempt, give_up_at);
        !waited)
      co_return waited;
  }
}

// Tells the CA to validate `challenge` and polls the authorization until it
// is decided.
asio::awaitable<Status> validate(Client& client, const std::string& authz_url,
                                 const proto::Challenge& challenge, const std::string& what,
                                 const PollPolicy& policy) {
  if (challenge.status == proto::ChallengeStatus::Pending) {
    if (Status answered = co_await respond(client, authz_url, challenge, policy); !answered)
      co_return answered;
  }
  Poller poller(client, policy, what);
  for (;;) {
    auto response = co_await read(client, authz_url, poller.give_up_at());
    if (!response)
      co_return response.error();
    auto authz = proto::decode_authorization(response->body);
    if (!authz)
      co_return authz.error();
    if (authz->status == AuthorizationStatus::Valid)
      co_return Status{};
    if (authz->status != AuthorizationStatus::Pending) {
      std::optional<proto::Problem> problem;
      for (const proto::Challenge& c : authz->challenges) {
        if (c.url == challenge.url)
          problem = c.error;
      }
      co_return failure(problem, what,
                        std::string("the authorization is ") +
                            std::string(proto::authorization_status_name(authz->status)));
    }
    if (Status waited = co_await poller.wait(*response); !waited)
      co_return waited;
  }
}

// "HTTP-01" for "http-01": how cert-manager's Challenge type names it.
std::string type_name(std::string type) {
  for (char& c : type)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return type;
}

// Asks the solver's check until it passes, waiting the check retry period on
// the client's clock between tries; the observer hears each failure. Gives
// up after the policy's phase time with the last reason.
asio::awaitable<Status> await_check(Client& client, const ChallengeTask& task,
                                    const proto::Challenge& challenge, const OrderRequest& request,
                                    ChallengeSolver& solver) {
  reactor::Clock& clock = client.clock();
  const auto give_up_at = clock.now() + std::chrono::duration_cast<reactor::TimePoint::duration>(
                                            request.poll.give_up_after);
  const std::string waiting = "Waiting for " + type_name(task.type) + " challenge propagation";
  for (;;) {
    Status checked = co_await solver.check(task);
    if (checked)
      co_return checked;
    if (co_await cancelled())
      co_return cancelled_error(waiting + " for " + task.dns_name());
    if (request.observer)
      co_await request.observer->challenge_waiting(challenge,
                                                   waiting + ": " + checked.error().message());
    if (clock.now() + request.poll.check_retry_period > give_up_at) {
      co_return Error(std::make_error_code(std::errc::timed_out),
                      type_name(task.type) + " self-check for " + task.dns_name() +
                          " did not pass in " + format_duration(request.poll.give_up_after) +
                          ", so the CA was not asked to validate: " + checked.error().message());
    }
    if (auto ec = co_await clock.sleep_for(request.poll.check_retry_period); ec)
      co_return cancelled_error(waiting + " for " + task.dns_name());
  }
}

// One authorization of the order (§7.5): nothing to do when it is valid
// already; otherwise the challenge the solver chooses for its identifier,
// presented around validation.
asio::awaitable<Status> authorize(Client& client, const std::string& url,
                                  const OrderRequest& request, ChallengeSolver& solver) {
  // It runs as a coroutine of its own (authorize_all), which by default
  // throws at its next co_await once cancelled and so would skip cleanup().
  // Client's requests turn that off as well; cleanup must not depend on it.
  co_await asio::this_coro::throw_if_cancelled(false);
  auto response = co_await read(client, url, step_deadline(client, request.poll));
  if (!response)
    co_return response.error();
  auto authz = proto::decode_authorization(response->body);
  if (!authz)
    co_return authz.error();
  const std::string what = "authorization for " + describe(authz->identifier);
  if (authz->status == AuthorizationStatus::Valid)
    co_return Status{};
  if (authz->status != AuthorizationStatus::Pending) {
    co_return Error(Errc::invalid_value,
                    what + " is " + std::string(proto::authorization_status_name(authz->status)));
  }
  std::vector<std::string> offered;
  for (const proto::Challenge& c : authz->challenges)
    offered.push_back(c.type);
  auto type = solver.choose(authz->identifier, authz->wildcard, offered);
  if (!type)
    co_return Error(type.error().code(),
                    what + (authz->wildcard ? " (wildcard)" : "") + ": " + type.error().message());
  const auto chosen = std::find_if(authz->challenges.begin(), authz->challenges.end(),
                                   [&](const proto::Challenge& c) { return c.type == *type; });
  if (chosen == authz->challenges.end()) {
    co_return Error(Errc::invalid_value, what + ": the CA offers no " + *type + " challenge");
  }
  const ChallengeTask task{authz->identifier, authz->wildcard, *type, chosen->token,
                           proto::key_authorization(chosen->token, client.thumbprint())};
  if (Status admitted = co_await solver.admit(task); !admitted)
    co_return admitted;
  if (request.observer)
    co_await request.observer->challenge_started(url, *authz, *chosen, task.key_authorization);
  Status result = co_await solver.present(task);
  if (request.observer)
    co_await request.observer->challenge_presented(
        *chosen, result ? std::string() : result.error().message());
  if (result)
    result = co_await await_check(client, task, *chosen, request, solver);
  if (result)
    result = co_await validate(client, url, *chosen, what, request.poll);
  co_await solver.cleanup(task);
  if (request.observer) {
    co_await request.observer->challenge_finished(
        *chosen, end_state(result), result ? std::string() : result.error().message());
  }
  co_return result;
}

// Every authorization of the order at once, each a coroutine of its own on
// this executor; the first to fail decides the result. Asio's ranged parallel
// group gives what that needs without bookkeeping here: the first failure
// cancels the others, the caller's cancellation reaches each one, and it
// completes only when all have returned, so every presented challenge is
// cleaned up and none outlives `urls`, `each` or `solver`. (reactor's
// TaskGroup would need the caller's cancellation forwarded and the results
// collected by hand, and its wait_empty() stops early when cancelled.)
// Boost 1.81's co_spawn dispatches a cancellation to the coroutine's executor
// (asio #1332); on the shard's own thread that runs inline, as here.
asio::awaitable<Status> authorize_all(Client& client, const std::vector<std::string>& urls,
                                      const OrderRequest& request, ChallengeSolver& solver) {
  // A group of none never completes.
  if (urls.empty())
    co_return Status{};
  // The caller's signal fires once: a cancellation that came before the
  // group starts would never reach its coroutines.
  if (co_await cancelled())
    co_return cancelled_error("authorizing the order");
  const auto executor = co_await asio::this_coro::executor;
  OrderRequest each = request;
  std::optional<OneCallAtATime> one_call_at_a_time;
  if (request.observer)
    each.observer = &one_call_at_a_time.emplace(*request.observer, executor);
  auto spawn = [&](const std::string& url) {
    return asio::co_spawn(executor, authorize(client, url, each, solver), asio::deferred);
  };
  std::vector<decltype(spawn(urls.front()))> authorizations;
  authorizations.reserve(urls.size());
  for (const std::string& url : urls)
    authorizations.push_back(spawn(url));
  auto [completion_order, exceptions, results] =
      co_await asio::experimental::make_parallel_group(std::move(authorizations))
          .async_wait(
              [](const std::exception_ptr& exception, const Status& result) {
                return exception || !result ? asio::cancellation_type::terminal
                                            : asio::cancellation_type::none;
              },
              asio::use_awaitable);
  // The first to end in failure is the cause; the others ended cancelled.
  for (const std::size_t i : completion_order) {
    if (exceptions[i])
      std::rethrow_exception(exceptions[i]);  // a bug, as if authorize() had thrown here
    if (!results[i])
      co_return results[i];
  }
  co_return Status{};
}

// Polls the order until its status is not `waiting_on`; an invalid order is
// the CA's problem as an error.
asio::awaitable<Result<proto::Order>> poll_order(Client& client, const std::string& url,
                                                 proto::Order order, OrderStatus waiting_on,
                                                 const PollPolicy& policy) {
  const std::string what = "order " + url;
  Poller poller(client, policy, what);
  while (order.status == waiting_on) {
    auto response = co_await read(client, url, poller.give_up_at());
    if (!response)
      co_return response.error();
    auto decoded = proto::decode_order(response->body);
    if (!decoded)
      co_return decoded.error();
    order = std::move(*decoded);
    if (order.status == waiting_on) {
      if (Status waited = co_await poller.wait(*response); !waited)
        co_return waited.error();
    }
  }
  if (order.status == OrderStatus::Invalid)
    co_return failure(order.error, what, "the order is invalid");
  co_return order;
}

// The order at `url` when it can still end in a certificate for these
// identifiers; nullopt (after a log line) when it cannot and a new one is
// needed. A transient failure that outlasts its retries is an error: the
// caller tries later rather than ordering twice.
asio::awaitable<Result<std::optional<proto::Order>>> resumable_order(
    Client& client, const std::string& url, const std::vector<proto::Identifier>& identifiers,
    const PollPolicy& policy) {
  auto response = co_await read(client, url, step_deadline(client, policy));
  if (!response) {
    if (response.error().code().category() == certmill::acme::acme_problem_category() &&
        !is_transient(response.error())) {
      log::info("an earlier ACME order cannot be read; placing a new one",
                {{"order", url}, {"error", response.error().message()}});
      co_return std::nullopt;
    }
    co_return response.error();
  }
  auto order = proto::decode_order(response->body);
  if (!order) {
    log::info("an earlier ACME order does not decode; placing a new one",
              {{"order", url}, {"error", order.error().message()}});
    co_return std::nullopt;
  }
  const bool live = order->status == OrderStatus::Pending || order->status == OrderStatus::Ready ||
                    order->status == OrderStatus::Processing || order->status == OrderStatus::Valid;
  auto sorted = [](std::vector<proto::Identifier> ids) {
    std::sort(ids.begin(), ids.end(), [](const auto& a, const auto& b) {
      return std::tie(a.type, a.value) < std::tie(b.type, b.value);
    });
    return ids;
  };
  const auto have = sorted(order->identifiers), want = sorted(identifiers);
  const bool same = std::equal(
      have.begin(), have.end(), want.begin(), want.end(),
      [](const auto& a, const auto& b) { return a.type == b.type && a.value == b.value; });
  if (!live || !same) {
    log::info("an earlier ACME order cannot be continued; placing a new one",
              {{"order", url},
               {"status", std::string(proto::order_status_name(order->status))},
               {"same_identifiers", same}});
    co_return std::nullopt;
  }
  co_return std::move(*order);
}

// newOrder (new_order.hpp), again after a transient failure. It is not
// idempotent: after a 5xx answer the CA says it made no order, but when the
// answer was lost (a reset, a timeout) it may have made one, and asking again
// makes a second. It is asked again all the same, with a warning: the orphan
// costs one token of the account's new-orders limit and expires unused,
// while failing costs the Certificate cert-manager's hour of backoff.
asio::awaitable<Result<CreatedOrder>> place_order(Client& client, const Directory& directory,
                                                  const OrderCsr& csr,
                                                  const OrderRequest& request) {
  const auto give_up_at = step_deadline(client, request.poll);
  for (int attempt = 0;; ++attempt) {
    auto created = co_await create_order(client, directory, csr, request);
    if (created)
      co_return created;
    if (Status waited = co_await client.wait_to_retry(created.error(), attempt, give_up_at);
        !waited)
      co_return waited.error();
    if (answer_lost(created.error())) {
      log::warn(
          "a newOrder request got no answer; asking again may leave an unused order at the CA",
          {{"newOrder", directory.new_order}, {"error", created.error().message()}});
    }
  }
}

// Finalizes a ready order with `csr_der` (§7.4) and returns the order as
// the answer or a later read shows it. After a transient failure it is
// unknown whether the CA took the CSR: the order is read again and finalized
// again only while it is still ready; a CA that took the first one refuses a
// second with orderNotReady, which then means the order moved on.
asio::awaitable<Result<proto::Order>> finalize(Client& client, const std::string& order_url,
                                               proto::Order order, const std::string& csr_der,
                                               const PollPolicy& policy) {
  const auto give_up_at = step_deadline(client, policy);
  const std::string payload = R"({"csr":")" + certmill::acme::base64url_encode(csr_der) + R"("})";
  for (int attempt = 0;; ++attempt) {
    auto finalized = co_await client.post(order.finalize, payload);
    if (finalized)
      co_return proto::decode_order(finalized->body);
    const bool moved_on =
        attempt > 0 && finalized.error().code() == proto::ProblemType::OrderNotReady;
    if (!moved_on) {
      if (Status waited = co_await client.wait_to_retry(finalized.error(), attempt, give_up_at);
          !waited)
        co_return waited.error();
    }
    auto response = co_await read(client, order_url, give_up_at);
    if (!response)
      co_return response.error();
    auto current = proto::decode_order(response->body);
    if (!current)
      co_return current.error();
    if (current->status != OrderStatus::Ready)
      co_return current;
    if (moved_on)
      co_return finalized.error();
    order = std::move(*current);
  }
}

// The pipeline itself; issue_certificate() reports how it ended.
asio::awaitable<Result<IssuedChain>> issue_steps(Client& client, const OrderRequest& request,
                                                 ChallengeSolver& solver) {
  auto csr = read_order_csr(request.csr_pem);
  if (!csr)
    co_return csr.error();
  auto dir = co_await retrying<Directory>(client, step_deadline(client, request.poll),
                                          [&] { return client.directory(); });
  if (!dir)
    co_return dir.error();

  // §7.4: the order, named by its Location (new_order.hpp: rate limits,
  // `replaces`), unless an earlier one for this CSR can still finish.
  IssuedChain issued;
  Result<proto::Order> order = Error(Errc::invalid_value, "no order");
  if (!request.resume_url.empty()) {
    auto earlier =
        co_await resumable_order(client, request.resume_url, csr->identifiers, request.poll);
    if (!earlier)
      co_return earlier.error();
    if (*earlier) {
      issued.order_url = request.resume_url;
      order = std::move(**earlier);
    }
  }
  if (issued.order_url.empty()) {
    auto created = co_await place_order(client, *dir, *csr, request);
    if (!created)
      co_return created.error();
    issued.order_url = std::move(created->url);
    issued.replaces_dropped = created->replaces_dropped;
    order = proto::decode_order(created->response.body);
  }
  if (!order)
    co_return order.error();
  if (order->status == OrderStatus::Invalid)
    co_return failure(order->error, "order " + issued.order_url, "the order is invalid");
  if (request.observer)
    co_await request.observer->order_created(issued.order_url, *order);

  // §7.5: every authorization, all at once.
  if (order->status == OrderStatus::Pending) {
    if (Status authorized = co_await authorize_all(client, order->authorizations, request, solver);
        !authorized)
      co_return authorized.error();
    auto ready = co_await poll_order(client, issued.order_url, std::move(*order),
                                     OrderStatus::Pending, request.poll);
    if (!ready)
      co_return ready.error();
    order = std::move(*ready);
    if (request.observer)
      co_await request.observer->order_state("ready", {});
  }

  // §7.4: finalize with the CSR, then wait while the CA issues.
  if (order->status == OrderStatus::Ready) {
    auto processing =
        co_await finalize(client, issued.order_url, std::move(*order), csr->der, request.poll);
    if (!processing)
      co_return processing.error();
    order = std::move(*processing);
  }
  auto valid = co_await poll_order(client, issued.order_url, std::move(*order),
                                   OrderStatus::Processing, request.poll);
  if (!valid)
    co_return valid.error();
  if (valid->status != OrderStatus::Valid) {
    co_return Error(Errc::invalid_value, "order " + issued.order_url + " is " +
                                             std::string(proto::order_status_name(valid->status)) +
                                             " after finalizing");
  }

  // §7.4.2: the chain, or the alternate one the user prefers.
  issued.certificate_url = valid->certificate;
  auto chain = co_await retrying<std::string>(client, step_deadline(client, request.poll), [&] {
    return download_chain(client, issued.certificate_url, request.preferred_chain);
  });
  if (!chain)
    co_return chain.error();
  issued.chain_pem = std::move(*chain);
  co_return issued;
}

}  // namespace

asio::awaitable<Result<IssuedChain>> issue_certificate(Client& client, OrderRequest request,
                                                       ChallengeSolver& solver) {
  co_await asio::this_coro::throw_if_cancelled(false);
  auto issued = co_await issue_steps(client, request, solver);
  // A cancelled order (a shutdown) has not ended at the CA: it is left as it
  // stands, for the next process to continue from its URL.
  const bool cancelled =
      !issued && issued.error().code() == std::make_error_code(std::errc::operation_canceled);
  // A rate-limited newOrder placed no order: the issuance waits for its turn
  // again, and there is no order to report an end of. (Reporting one wrote
  // the Order object at every turn held back: ~14 writes an order in a
  // 1,000-Certificate fault storm.)
  const bool held_back =
      !issued && issued.error().code() == certmill::acme::ProblemType::RateLimited;
  if (request.observer && !cancelled && !held_back) {
    co_await request.observer->order_state(end_state(issued),
                                           issued ? std::string() : issued.error().message());
  }
  co_return issued;
}

}  // namespace certmill::issuers::acme
