// A request no Certificate owns, reconciled: decided on the cache, decided
// again on the server's copy before anything is written (the cache may not
// show certmill's own last write yet, and a request is never signed twice),
// then one status write carrying approval and the outcome together, its
// Events and a log line.
#include "controller/runtime/request_effects.hpp"

#include "controller/runtime/certificate_effects.hpp"
#include "controller/runtime/rate_gate.hpp"
#include "controller/runtime/signers.hpp"
#include "controller/status_writes.hpp"
#include "core/api/codec.hpp"
#include "core/log.hpp"
#include "core/pki/keys.hpp"
#include "k8s/api_error.hpp"

namespace certmill::controller {

namespace {

constexpr const char* kKeySecretAnnotation = "cert-manager.io/private-key-secret-name";

api::ObjectReference reference_to(const api::CertificateRequest& request) {
  return {"cert-manager.io/v1",
          "CertificateRequest",
          request.metadata.name,
          request.metadata.namespace_,
          request.metadata.uid,
          request.metadata.resource_version,
          {}};
}

}  // namespace

const IssuerView* RequestEffects::issuer_of(const RequestView& request) const {
  const std::string& name = request.issuer_ref.name;
  const std::string& kind = request.issuer_ref.kind.str();
  if (kind == "ClusterIssuer")
    return shard_.caches.cluster_issuers.partition(shard_.index).find(name);
  if (kind.empty() || kind == "Issuer")
    return shard_.caches.issuers.partition(shard_.index)
        .find(k8s::ObjectName{request.namespace_, name});
  return nullptr;
}

RequestPlan RequestEffects::plan(const RequestView& request) const {
  RequestIssuer facts;
  if (const IssuerView* issuer = issuer_of(request)) {
    facts = {.found = true,
             .type = issuer->type,
             .ready = issuer->ready.present && issuer->ready.status == api::ConditionStatus::True};
  }
  return plan_request({request, facts, shard_.options.approve_requests});
}

void RequestEffects::changed(const std::string& key, const RequestView* before,
                             const RequestView* after) {
  shard_.on_shard();
  if (!after) {
    if (before && before->owner_uid.empty()) {
      shard_.runner.forget(shard_.kinds.request, key);
      waiting_for_issuer_.erase(key);
      if (!ordering_.contains(key))
        rate_gate_.done(request_turn_key(key));  // it leaves its account's line
    }
    return;
  }
  // A Certificate's request wakes its Certificate instead; another group's
  // is its external issuer's. Nothing is listed: the watch brings each one.
  if (after->owner_uid.empty() && names_cert_manager_issuer(*after))
    shard_.runner.enqueue(shard_.kinds.request, key);
}

void RequestEffects::issuer_changed() {
  shard_.on_shard();
  for (const std::string& key : waiting_for_issuer_)
    shard_.runner.enqueue(shard_.kinds.request, key);
  waiting_for_issuer_.clear();  // each adds itself again while it waits
}

asio::awaitable<Status> RequestEffects::sync(const std::string& key) {
  shard_.on_shard();
  const RequestView* cached = shard_.caches.requests.partition(shard_.index).find(key);
  if (!cached)
    co_return Status{};
  RequestPlan planned = plan(*cached);
  if (planned.recheck) {
    // Woken by the issuer's change; the recheck is for a change missed.
    waiting_for_issuer_.insert(key);
    shard_.runner.enqueue(shard_.kinds.request, key,
                          shard_.reactor.clock().now() + *planned.recheck);
  }
  if (planned.move == RequestMove::LeaveAlone || !planned.write ||
      (planned.move == RequestMove::Sign && ordering_.contains(key)))
    co_return Status{};

  // Copies: the caches change while this reconcile waits on the network.
  const std::string ns = cached->namespace_, name = cached->name;
  auto fresh = co_await shard_.client.get<api::CertificateRequest>(ns, name);
  if (!fresh)
    co_return k8s::is_not_found(fresh.error()) ? Status{} : Status{fresh.error()};
  api::CertificateRequest request = std::move(*fresh);
  const RequestView seen = project_request(api::CertificateRequest(request));
  planned = plan(seen);
  if (planned.move == RequestMove::LeaveAlone || !planned.write)
    co_return Status{};
  std::optional<IssuerView> issuer;
  if (const IssuerView* i = issuer_of(seen))
    issuer = *i;
  if (planned.move == RequestMove::Sign && issuer->type == IssuerType::ACME)
    co_return co_await start_order(std::move(request), seen, *issuer, planned.approve);

  const Time now = shard_.now();
  std::vector<EventNote> events;
  api::CertificateRequestStatus& status = request.status;
  if (planned.approve) {
    mark_approved(status, now);
    events.push_back({"Normal", kApprovedReason, kApprovedMessage});
  }
  switch (planned.move) {
    case RequestMove::LeaveAlone:
      co_return Status{};
    case RequestMove::Deny:
      mark_denied(status, planned.message, now);
      log::info("a CertificateRequest was denied; it will not be signed", {{"request", key}});
      break;
    case RequestMove::Wait:
      mark_pending(status, planned.message, now);
      events.push_back({"Normal", planned.reason, planned.message});
      log::info("a CertificateRequest waits", {{"request", key}, {"why", planned.message}});
      break;
    case RequestMove::Fail:
      mark_failed(status, planned.message, now);
      events.push_back({"Warning", planned.reason, planned.message});
      log::warn("a CertificateRequest cannot be signed",
                {{"request", key}, {"error", planned.message}});
      break;
    case RequestMove::Sign: {
      auto signed_ = co_await sign(request, seen, *issuer);
      if (!signed_)
        co_return signed_.error();  // nothing written; retried with backoff
      if (signed_->issued) {
        mark_issued(status, *signed_->issued, now);
        events.push_back(
            {"Normal", "CertificateIssued", "Certificate fetched from issuer successfully"});
        log::info("signed a CertificateRequest no Certificate owns",
                  {{"request", key}, {"issuer", issuer->name}});
      } else if (!signed_->waiting.empty()) {
        // A Secret is not watched: look again in a minute.
        shard_.runner.enqueue(shard_.kinds.request, key,
                              shard_.reactor.clock().now() + std::chrono::minutes(1));
        if (seen.ready == ReadyMark::Pending && seen.message.get() == signed_->waiting &&
            !planned.approve)
          co_return Status{};
        mark_pending(status, signed_->waiting, now);
        events.push_back({"Normal", "MissingSecret", signed_->waiting});
      } else {
        mark_failed(status, signed_->failure, now);
        events.push_back({"Warning", "SigningError", signed_->failure});
        log::warn("a CertificateRequest could not be signed",
                  {{"request", key}, {"error", signed_->failure}});
      }
      break;
    }
  }
  co_return co_await write_status(request, events);
}

asio::awaitable<Status> RequestEffects::write_status(const api::CertificateRequest& request,
                                                     const std::vector<EventNote>& events) {
  // The status alone, as a merge patch: the spec someone else wrote is never
  // sent back as certmill decoded it (fields it does not know, defaults it
  // leaves out). Against the version read: a request changed meanwhile
  // (approved again, signed by an earlier attempt) is a conflict, retried on
  // a fresh read.
  const std::string patch = R"({"metadata":{"resourceVersion":")" +
                            request.metadata.resource_version + R"("},"status":)" +
                            api::encode(request.status) + "}";
  auto written = co_await shard_.client.merge_patch<api::CertificateRequest>(
      request.metadata.namespace_, request.metadata.name, patch, true);
  if (!written)
    co_return written.error();
  co_await shard_.record(shard_.request_events, reference_to(*written), events);
  co_return Status{};
}

asio::awaitable<Result<RequestEffects::Signed>> RequestEffects::sign(
    const api::CertificateRequest& request, const RequestView& view, const IssuerView& issuer) {
  std::string key_pem;
  if (issuer.type == IssuerType::SelfSigned) {
    // As cert-manager's SelfSigned issuer: the request names the Secret of
    // the key that signs it, which must be the CSR's own.
    const auto named = request.metadata.annotations.find(kKeySecretAnnotation);
    if (named == request.metadata.annotations.end() || named->second.empty())
      co_return Signed{.issued = std::nullopt,
                       .failure = std::string("Annotation \"") + kKeySecretAnnotation +
                                  "\" missing or reference empty: a SelfSigned issuer signs "
                                  "with the key in the Secret it names",
                       .waiting = {}};
    const std::string where = view.namespace_ + "/" + named->second;
    auto secret = co_await shard_.get_secret(view.namespace_, named->second);
    if (!secret)
      co_return secret.error();
    if (!*secret)
      co_return Signed{
          .issued = std::nullopt,
          .failure = {},
          .waiting = "Waiting on certificate issuance: referenced Secret " + where + " not found"};
    key_pem = data_of(**secret, "tls.key");
    auto parsed = pki::parse_private_key(key_pem, "Secret " + where + " tls.key");
    if (!parsed)
      co_return Signed{.issued = std::nullopt, .failure = parsed.error().message(), .waiting = {}};
    if (public_key_digest(*parsed) != view.public_key_digest)
      co_return Signed{.issued = std::nullopt,
                       .failure = "The key in Secret " + where +
                                  " is not the one the CSR in spec.request was made with",
                       .waiting = {}};
  }
  auto backend = co_await signers_.get(issuer);
  if (!backend)
    co_return backend.error();
  auto issued = co_await (*backend)->sign(issuers::sign_request_for(request.spec, key_pem), {});
  if (!issued)
    co_return Signed{
        .issued = std::nullopt,
        .failure = "Failed to sign the certificate request: " + issued.error().message(),
        .waiting = {}};
  co_return Signed{.issued = std::move(*issued), .failure = {}, .waiting = {}};
}

}  // namespace certmill::controller
