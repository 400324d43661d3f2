// A Certificate's reconcile: read the shard's caches, ask the reconciler, then
// carry out its decision against the API server — the request for a new
// revision, the Secret once it is issued, the status, the Events — acting
// only on a Certificate whose stored version is the one decided on. The
// writes themselves are in certificate_writes.cpp.
#include <algorithm>

#include "controller/issuance_step.hpp"
#include "controller/runtime/certificate_effects.hpp"
#include "controller/runtime/rate_gate.hpp"
#include "controller/runtime/renewal_advisor.hpp"
#include "controller/runtime/request_signing.hpp"
#include "core/log.hpp"
#include "core/time.hpp"
#include "k8s/api_error.hpp"

namespace certmill::controller {

namespace {

std::string namespace_of(const std::string& key) {
  const auto slash = key.find('/');
  return slash == std::string::npos ? std::string() : key.substr(0, slash);
}

}  // namespace

api::ObjectReference reference_to(const api::Certificate& crt) {
  return {"cert-manager.io/v1",
          "Certificate",
          crt.metadata.name,
          crt.metadata.namespace_,
          crt.metadata.uid,
          crt.metadata.resource_version,
          {}};
}

CertificateEffects::CertificateEffects(ShardContext& shard, Issuances& issuances,
                                       RequestSigning& signing, RenewalAdvisor& advisor,
                                       RateGate& rate_gate)
    : shard_(shard),
      issuances_(issuances),
      signing_(signing),
      advisor_(advisor),
      rate_gate_(rate_gate),
      slots_(shard.options.max_issuances, shard.options.max_issuances_total),
      budgets_(shard.options.write_budget) {}

asio::awaitable<Status> CertificateEffects::sync(const std::string& key) {
  shard_.on_shard();
  const CertificateView* cached = shard_.caches.certificates.partition(shard_.index).find(key);
  if (!cached)
    co_return Status{};
  const Time now = shard_.now();
  if (!caught_up(key, *cached, now))
    co_return Status{};
  // Copies: the caches change while this reconcile waits on the network.
  const CertificateView view = *cached;
  std::optional<SecretView> secret;
  if (auto* s = shard_.caches.secrets.partition(shard_.index)
                    .find(k8s::ObjectName{view.namespace_, view.secret_name}))
    secret = *s;
  std::optional<IssuerView> issuer;
  if (auto* i = issuer_of(view))
    issuer = *i;
  std::optional<RequestView> current, next;
  const int32_t revision = view.revision.value_or(0);
  for (const RequestView* request : requests_of(view)) {
    if (request->revision == revision && view.revision)
      current = *request;
    if (request->revision == revision + 1)
      next = *request;
  }

  const CertificateState in{
      view,
      secret ? &*secret : nullptr,
      issuer ? &*issuer : nullptr,
      current ? &*current : nullptr,
      next ? &*next : nullptr,
      claims_.others(view),
      now,
      shard_.options.backoff,
      advisor_.suggested_renewal(key, secret ? &*secret : nullptr, issuer ? &*issuer : nullptr),
      shard_.options.certificate_owner_ref};
  Decision decision = reconcile_certificate(in);
  shard_.metrics.observe(view, shard_.index);
  const Issuance* record = issuances_.find(key);
  const IssuanceStep step = plan_issuance_step(
      decision,
      {.issuing = view.issuing.present && view.issuing.status == api::ConditionStatus::True,
       .next_pending = next && next->state == RequestState::Pending,
       .signs_in_process = signing_.signs_in_process(in.issuer),
       .ordering_next = record && next && record->ordering == next->name,
       .may_sign = shard_.options.approve_requests || (next && next->approved)});

  if (!take_slot(key, view, decision.action == Action::Issue))
    co_return Status{};  // woken by end_issuance(); nothing written meanwhile
  // Charged only for writes about to be made: waiting for a slot costs none.
  if (const auto fits_at = budgets_.charge(key, planned_writes(decision, step), now)) {
    log::warn("a Certificate has used its share of the API write budget and waits",
              {{"certificate", key}, {"until", format_time(*fits_at)}});
    shard_.runner.enqueue(shard_.kinds.certificate, key, *fits_at);
    co_return Status{};
  }

  if (decision.action != Action::None || decision.status || step.sign_left_unsigned) {
    auto fresh = co_await shard_.client.get<api::Certificate>(view.namespace_, view.name);
    if (!fresh)
      co_return k8s::is_not_found(fresh.error()) ? Status{} : Status{fresh.error()};
    if (fresh->metadata.resource_version != view.resource_version) {
      // The cache is behind: the watch event that brings it up queues this
      // Certificate at once; 5 s covers a watch that is down.
      shard_.runner.enqueue(shard_.kinds.certificate, key, now + std::chrono::seconds(5));
      co_return Status{};
    }
    api::Certificate crt = std::move(*fresh);
    // An ACME order waits for its turn in its account's rate-limit line,
    // writing nothing meanwhile; the turn queues this Certificate again.
    if (decision.action == Action::Issue && in.issuer &&
        !rate_gate_.admit_issuance(key, *in.issuer, crt.spec, view, in.secret,
                                   in.suggested_renewal.has_value()))
      co_return Status{};
    if (decision.action == Action::Issue && decision.status) {
      // Issuing=True goes first, as in cert-manager: a request never exists
      // for a Certificate that does not say it is issuing.
      if (Status s = co_await write_status(crt, *decision.status); !s)
        co_return s;
      decision.status.reset();
    }
    Status done;
    switch (decision.action) {
      case Action::Issue:
        done = co_await issue(crt, view, decision.revision, next);
        break;
      case Action::StoreIssued:
        done = co_await store(crt, *next);
        break;
      case Action::RepairSecret:
        log::info("rewriting the Secret around its key pair",
                  {{"certificate", key}, {"why", decision.why}});
        done = co_await repair_secret(crt);
        break;
      case Action::None:
        if (step.sign_left_unsigned)
          done = co_await sign_left_unsigned(view, *next, *issuer);
        break;
    }
    if (!done)
      co_return done;
    if (decision.status) {
      if (Status s = co_await write_status(crt, *decision.status); !s)
        co_return s;
    }
    co_await shard_.record(shard_.certificate_events, reference_to(crt), decision.events);
  }
  if (step.end_issuance)
    end_issuance(key);
  if (step.prune_requests)
    co_await prune_requests(view);
  if (decision.requeue_at)
    shard_.runner.enqueue(shard_.kinds.certificate, key, *decision.requeue_at);
  co_await advisor_.write_untold(key, view);
  co_return Status{};
}

bool CertificateEffects::caught_up(const std::string& key, const CertificateView& crt, Time now) {
  Issuance* record = issuances_.find(key);
  if (!record || !record->expected)
    return true;
  const Expectation& e = *record->expected;
  CachedVersions cached{crt.resource_version, std::nullopt, std::nullopt};
  if (const SecretView* secret = shard_.caches.secrets.partition(shard_.index)
                                     .find(k8s::ObjectName{crt.namespace_, crt.secret_name}))
    cached.secret = secret->resource_version;
  if (!e.request_key.empty()) {
    if (const RequestView* request =
            shard_.caches.requests.partition(shard_.index).find(e.request_key))
      cached.request = request->resource_version;
  }
  const CacheState state = cache_state({e.certificate_version, e.secret_version, e.request_version},
                                       cached, e.deadline, now);
  if (state == CacheState::Behind) {
    shard_.runner.enqueue(shard_.kinds.certificate, key, e.deadline);
    return false;
  }
  if (state == CacheState::GaveUp)
    log::warn("the cache never showed certmill's last write; going on with what it has",
              {{"certificate", key}});
  record->expected.reset();
  issuances_.tidy(key);
  return true;
}

Expectation& CertificateEffects::expect(const std::string& key) {
  return issuances_.expect(key, shard_.expectation_deadline());
}

void CertificateEffects::end_issuance(const std::string& key) {
  rate_gate_.done(key);
  if (Issuance* record = issuances_.find(key)) {
    if (record->pending && !record->pending->key_secret.empty())
      drop_key_secret(key.substr(0, key.find('/')), record->pending->key_secret);
    record->pending.reset();
    issuances_.tidy(key);
  }
  wake(slots_.release(key));
}

void CertificateEffects::drop_key_secret(std::string ns, std::string name) {
  shard_.shard.tasks().spawn(
      [this, ns = std::move(ns), name = std::move(name)]() -> asio::awaitable<void> {
        auto removed = co_await shard_.client.remove<api::Secret>(ns, name);
        if (!removed && !k8s::is_not_found(removed.error()))
          log::warn("the Secret that kept an ACME request's key could not be deleted",
                    {{"secret", ns + "/" + name}, {"error", removed.error().message()}});
      });
}

const IssuerView* CertificateEffects::issuer_of(const CertificateView& crt) const {
  const api::IssuerRef ref = with_defaults(crt.issuer_ref);
  if (ref.group != "cert-manager.io")
    return nullptr;
  if (ref.kind == "ClusterIssuer")
    return shard_.caches.cluster_issuers.partition(shard_.index).find(ref.name);
  if (ref.kind == "Issuer")
    return shard_.caches.issuers.partition(shard_.index)
        .find(k8s::ObjectName{crt.namespace_, ref.name});
  return nullptr;
}

std::vector<const RequestView*> CertificateEffects::requests_of(const CertificateView& crt) const {
  std::vector<const RequestView*> owned;
  for (const std::string& name : owners_.requests(crt.uid)) {
    const RequestView* request =
        shard_.caches.requests.partition(shard_.index).find(k8s::ObjectName{crt.namespace_, name});
    // A request elsewhere that names this uid (ownerReferences cannot cross
    // namespaces) is not this Certificate's.
    if (request && request->owner_uid == crt.uid)
      owned.push_back(request);
  }
  // By name, so that two requests of one revision are read in one order.
  std::sort(owned.begin(), owned.end(),
            [](const RequestView* a, const RequestView* b) { return a->name < b->name; });
  return owned;
}

void CertificateEffects::changed(const std::string& key, const CertificateView* before,
                                 const CertificateView* after) {
  shard_.on_shard();
  // Certificates whose Secret gained or lost a claimant may have become, or
  // stopped being, duplicates.
  for (const std::string& secret : claims_.update(before, after))
    requeue_claimants(secret);
  if (before)
    owners_.drop_certificate(before->uid);
  if (after)
    owners_.add_certificate(after->uid, after->name);
  if (!after) {
    rate_gate_.done(key);
    wake(slots_.forget(key));
    issuances_.forget(key);
    budgets_.forget(key);
    shard_.metrics.forget_certificate(key, shard_.index);
    shard_.runner.forget(shard_.kinds.certificate, key);
    return;
  }
  shard_.runner.enqueue(shard_.kinds.certificate, key);
}

void CertificateEffects::request_changed(const RequestView* before, const RequestView* after) {
  shard_.on_shard();
  if (before && !before->owner_uid.empty())
    owners_.drop_request(before->owner_uid, before->name);
  if (after && !after->owner_uid.empty())
    owners_.add_request(after->owner_uid, after->name);
  const RequestView* request = after ? after : before;
  if (const std::string* owner = owners_.certificate(request->owner_uid))
    shard_.runner.enqueue(shard_.kinds.certificate, request->namespace_ + "/" + *owner);
}

void CertificateEffects::secret_changed(const std::string& key, const SecretView& secret) {
  requeue_claimants(key);
  // A Secret annotated for a Certificate that names another Secret still
  // matters to it: the reconciler reports the mismatch.
  if (secret.certificate_name)
    shard_.runner.enqueue(shard_.kinds.certificate,
                          secret.namespace_ + "/" + *secret.certificate_name);
}

void CertificateEffects::requeue_claimants(const std::string& secret) {
  const std::string ns = namespace_of(secret);
  for (const auto& name : claims_.claimants(secret))
    shard_.runner.enqueue(shard_.kinds.certificate, ns + "/" + name);
}

}  // namespace certmill::controller
