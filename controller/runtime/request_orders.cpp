// An ACME order for a CertificateRequest no Certificate owns: its turn in
// the account's rate-limit line, the status that says an order is in
// progress (what tells a restarted process to continue it), the order run
// beside the reconciles, and its outcome written on the server's copy if
// that still asks for it.
#include "controller/runtime/rate_gate.hpp"
#include "controller/runtime/request_effects.hpp"
#include "controller/runtime/request_signing.hpp"
#include "controller/status_writes.hpp"
#include "core/acme/problem.hpp"
#include "core/log.hpp"
#include "k8s/api_error.hpp"

namespace certmill::controller {

namespace {

// What an ACME request says while it waits for its order, and while the
// order runs: the second is how a restarted process knows an Order may
// exist for it, to be continued rather than placed again.
constexpr const char* kWaitingForTurn =
    "Waiting on certificate issuance: waiting for a turn in the ACME account's rate-limit line";
constexpr const char* kOrdering = "Waiting on certificate issuance: an ACME order is in progress";

}  // namespace

asio::awaitable<Status> RequestEffects::start_order(api::CertificateRequest request,
                                                    const RequestView& seen,
                                                    const IssuerView& issuer, bool approve) {
  const std::string key = seen.namespace_ + "/" + seen.name;
  const bool earlier = seen.ready == ReadyMark::Pending && seen.message.get() == kOrdering;
  const Time now = shard_.now();
  std::vector<EventNote> events;
  if (approve) {
    mark_approved(request.status, now);
    events.push_back({"Normal", kApprovedReason, kApprovedMessage});
  }
  // An order continued from an earlier process was counted when it was
  // placed; any other waits for its turn, saying so once.
  if (!earlier) {
    if (auto order = request_order(issuer, request, shard_.options.cluster_resource_namespace);
        order && !rate_gate_.admit(request_turn_key(key), order->account, order->identifiers,
                                   std::nullopt, false, false)) {
      if (!approve && seen.ready == ReadyMark::Pending && seen.message.get() == kWaitingForTurn)
        co_return Status{};
      mark_pending(request.status, kWaitingForTurn, now);
      co_return co_await write_status(request, events);
    }
  }
  if (!earlier) {
    mark_pending(request.status, kOrdering, now);
    events.push_back({"Normal", "OrderCreated", "Placing an ACME order for the request"});
    if (Status said = co_await write_status(request, events); !said)
      co_return said;
  }
  log::info("an ACME order starts for a CertificateRequest no Certificate owns",
            {{"request", key}, {"issuer", issuer.name}, {"continued", earlier ? "yes" : "no"}});
  ordering_.insert(key);
  // Cancelled at once by a shutdown, as a Certificate's order is
  // (RequestSigning::sign): the next process continues it.
  if (!shard_.shard.services().spawn(
          [this, request = std::move(request), issuer, earlier]() mutable {
            return run_order(std::move(request), std::move(issuer), earlier);
          }))
    ordering_.erase(key);
  co_return Status{};
}

asio::awaitable<void> RequestEffects::run_order(api::CertificateRequest request, IssuerView issuer,
                                                bool earlier) {
  const std::string key = request.metadata.namespace_ + "/" + request.metadata.name;
  const std::string turn = request_turn_key(key);
  // Forgotten however it ends (a shutdown cancels it mid-order).
  struct Leaving {
    std::set<std::string>& ordering;
    const std::string& key;
    ~Leaving() { ordering.erase(key); }
  } leaving{ordering_, key};
  auto ordered = co_await signing_.order(request, issuer, turn, {}, earlier, {});
  if (!ordered) {
    // Nothing said yet: the request stays pending, its turn kept, and is
    // looked at again after a pause.
    log::warn("an ACME order could not start",
              {{"request", key}, {"error", ordered.error().message()}});
    shard_.runner.enqueue(shard_.kinds.request, key,
                          shard_.reactor.clock().now() + std::chrono::seconds(30));
    co_return;
  }
  const Result<issuers::Issued>& issued = *ordered;
  if (!issued && issued.error().code() == std::make_error_code(std::errc::operation_canceled)) {
    log::info("an ACME order was left to be continued", {{"request", key}});
    co_return;
  }
  if (!issued && issued.error().code() == certmill::acme::ProblemType::RateLimited) {
    // Back in line; its turn, when the CA's Retry-After has passed, queues
    // it again, and the order is continued from its Order.
    if (auto order = request_order(issuer, request, shard_.options.cluster_resource_namespace))
      rate_gate_.refused(turn, order->account, order->identifiers, issued.error());
    co_return;
  }
  rate_gate_.done(turn);
  for (int attempt = 0; attempt < 3; ++attempt) {
    const Status written = co_await finish_order(key, issued);
    if (written || !k8s::is_conflict(written.error()))
      co_return;
  }
  log::warn("the outcome of an ACME order could not be written to its CertificateRequest",
            {{"request", key}});
}

asio::awaitable<Status> RequestEffects::finish_order(const std::string& key,
                                                     const Result<issuers::Issued>& issued) {
  const auto slash = key.find('/');
  auto fresh = co_await shard_.client.get<api::CertificateRequest>(key.substr(0, slash),
                                                                   key.substr(slash + 1));
  if (!fresh)
    co_return k8s::is_not_found(fresh.error()) ? Status{} : Status{fresh.error()};
  api::CertificateRequest request = std::move(*fresh);
  const RequestPlan planned = plan(project_request(api::CertificateRequest(request)));
  if (planned.move != RequestMove::Sign) {
    log::info("a CertificateRequest changed while its ACME order ran; its outcome is dropped",
              {{"request", key}});
    co_return Status{};
  }
  const Time now = shard_.now();
  std::vector<EventNote> events;
  if (issued) {
    mark_issued(request.status, *issued, now);
    events.push_back(
        {"Normal", "CertificateIssued", "Certificate fetched from issuer successfully"});
    log::info("an ACME order signed a CertificateRequest no Certificate owns", {{"request", key}});
  } else {
    const std::string message =
        "Failed to obtain a certificate from the ACME server: " + issued.error().message();
    mark_failed(request.status, message, now);
    events.push_back({"Warning", "OrderFailed", message});
    log::warn("an ACME order for a CertificateRequest failed",
              {{"request", key}, {"error", issued.error().message()}});
  }
  co_return co_await write_status(request, events);
}

}  // namespace certmill::controller
