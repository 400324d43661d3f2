// A Certificate's reconcile: read the shard's caches, ask the reconciler, then
// carry out its decision against the API server — the request for a new
// revision, the Secret once it is issued, the status, the Events — acting
// only on a Certificate whose stored version is the one decided on.
#include <algorithm>

#include "controller/digest.hpp"
#include "controller/request_history.hpp"
#include "controller/runtime/shard_controller.hpp"
#include "controller/status_writes.hpp"
#include "core/log.hpp"
#include "core/pki/csr.hpp"
#include "core/pki/tls_secret.hpp"
#include "issuers/keygen.hpp"
#include "k8s/api_error.hpp"

namespace certmill::controller {

namespace {

api::ObjectReference reference_to(const api::Certificate& crt) {
  return {"cert-manager.io/v1",
          "Certificate",
          crt.metadata.name,
          crt.metadata.namespace_,
          crt.metadata.uid,
          crt.metadata.resource_version,
          {}};
}

std::string data_of(const api::Secret& secret, const std::string& key) {
  auto it = secret.data.find(key);
  return it == secret.data.end() ? std::string() : it->second.data;
}

uint64_t public_key_digest(const pki::PrivateKey& key) {
  return digest_of(pki::public_key_fingerprint(key.get()));
}

}  // namespace

void ShardController::end_issuance(const std::string& key) {
  if (Issuance* record = issuances_.find(key)) {
    record->pending.reset();
    issuances_.tidy(key);
  }
  if (auto next = slots_.release(key))
    runner_.enqueue(kinds_.certificate, *next);
}

Expectation& ShardController::expect(const std::string& key) {
  Expectation& e = issuances_.expectation(key);
  e.deadline = expectation_deadline();
  return e;
}

const IssuerView* ShardController::issuer_of(const CertificateView& crt) const {
  const api::IssuerRef ref = with_defaults(crt.issuer_ref);
  if (ref.group != "cert-manager.io")
    return nullptr;
  if (ref.kind == "ClusterIssuer")
    return caches_.cluster_issuers.partition(index_).find(ref.name);
  if (ref.kind == "Issuer")
    return caches_.issuers.partition(index_).find(k8s::ObjectName{crt.namespace_, ref.name});
  return nullptr;
}

std::vector<const RequestView*> ShardController::requests_of(const CertificateView& crt) const {
  std::vector<const RequestView*> owned;
  for (const std::string& name : owners_.requests(crt.uid)) {
    const RequestView* request =
        caches_.requests.partition(index_).find(k8s::ObjectName{crt.namespace_, name});
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

bool ShardController::caught_up(const std::string& key, const CertificateView& crt, Time now) {
  Issuance* record = issuances_.find(key);
  if (!record || !record->expected)
    return true;
  const Expectation& e = *record->expected;
  bool seen = version_reached(crt.resource_version, e.certificate_version);
  if (seen && !e.secret_version.empty()) {
    const SecretView* secret =
        caches_.secrets.partition(index_).find(k8s::ObjectName{crt.namespace_, crt.secret_name});
    seen = secret && version_reached(secret->resource_version, e.secret_version);
  }
  if (seen && !e.request_key.empty()) {
    const RequestView* request = caches_.requests.partition(index_).find(e.request_key);
    seen = request && version_reached(request->resource_version, e.request_version);
  }
  if (seen || now >= e.deadline) {
    if (!seen)
      log::warn("the cache never showed certmill's last write; going on with what it has",
                {{"certificate", key}});
    record->expected.reset();
    issuances_.tidy(key);
    return true;
  }
  runner_.enqueue(kinds_.certificate, key, e.deadline);
  return false;
}

asio::awaitable<Status> ShardController::sync_certificate(const std::string& key) {
  const CertificateView* cached = caches_.certificates.partition(index_).find(key);
  if (!cached)
    co_return Status{};
  const Time now = this->now();
  if (!caught_up(key, *cached, now))
    co_return Status{};
  // Copies: the caches change while this reconcile waits on the network.
  const CertificateView view = *cached;
  std::optional<SecretView> secret;
  if (auto* s = caches_.secrets.partition(index_).find(
          k8s::ObjectName{view.namespace_, view.secret_name}))
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
      options_.backoff,
      suggested_renewal(key, secret ? &*secret : nullptr, issuer ? &*issuer : nullptr)};
  Decision decision = reconcile_certificate(in);
  metrics_.observe(view);

  // A request of an in-process issuer left unsigned (certmill stopped or
  // failed between creating and signing it) is signed now.
  const bool issuing = view.issuing.present && view.issuing.status == api::ConditionStatus::True;
  const Issuance* issuance = issuances_.find(key);
  const bool ordering = issuance && next && issuance->ordering == next->name;
  const bool unsigned_request = decision.action == Action::None && issuing && next &&
                                next->state == RequestState::Pending &&
                                signs_in_process(in.issuer) && !ordering;

  if (decision.action == Action::Issue && !slots_.admit(key))
    co_return Status{};  // woken by end_issuance(); nothing written meanwhile

  if (decision.action != Action::None || decision.status || unsigned_request) {
    auto fresh = co_await client_.get<api::Certificate>(view.namespace_, view.name);
    if (!fresh)
      co_return k8s::is_not_found(fresh.error()) ? Status{} : Status{fresh.error()};
    if (fresh->metadata.resource_version != view.resource_version) {
      // The cache is behind the server: decide again once it catches up.
      runner_.enqueue(kinds_.certificate, key, now + std::chrono::seconds(1));
      co_return Status{};
    }
    api::Certificate crt = std::move(*fresh);
    if (decision.action == Action::Issue && decision.status) {
      // Issuing=True goes first, as in cert-manager: a request never exists
      // for a Certificate that does not say it is issuing.
      if (Status s = co_await write_status(crt, *decision.status); !s)
        co_return s;
      decision.status.reset();
    }
    switch (decision.action) {
      case Action::Issue:
        if (Status s = co_await issue(crt, view, decision.revision, next); !s)
          co_return s;
        break;
      case Action::StoreIssued:
        if (Status s = co_await store(crt, *next); !s)
          co_return s;
        break;
      case Action::RepairSecret:
        log::info("rewriting the Secret around its key pair",
                  {{"certificate", key}, {"why", decision.why}});
        if (Status s = co_await repair_secret(crt); !s)
          co_return s;
        break;
      case Action::None:
        if (unsigned_request) {
          const Issuance* current_record = issuances_.find(key);
          const PendingKey* pending = current_record ? current_record->pending.get() : nullptr;
          if (!pending || pending->revision != revision + 1 ||
              pending->public_key_digest != next->public_key_digest) {
            // Its key is gone with the process that made it: start the
            // revision over.
            auto removed =
                co_await client_.remove<api::CertificateRequest>(view.namespace_, next->name);
            if (!removed && !k8s::is_not_found(removed.error()))
              co_return removed;
            break;
          }
          // Copies: the record may change, or go, while this reconcile waits.
          const int32_t pending_revision = pending->revision;
          std::string pending_key = pending->key_pem;
          auto request = co_await client_.get<api::CertificateRequest>(view.namespace_, next->name);
          if (!request)
            co_return k8s::is_not_found(request.error()) ? Status{} : Status{request.error()};
          if (Status s = co_await sign(std::move(*request), *issuer, pending_revision,
                                       std::move(pending_key));
              !s)
            co_return s;
        }
        break;
    }
    if (decision.status) {
      if (Status s = co_await write_status(crt, *decision.status); !s)
        co_return s;
    }
    co_await record(reference_to(crt), decision.events);
  }
  // An issuance ends when the Secret is stored or the attempt failed: its
  // slot goes to the next waiter.
  bool issuing_now = issuing || decision.action == Action::Issue;
  if (decision.status) {
    for (const api::Condition& c : decision.status->conditions) {
      if (c.type == "Issuing")
        issuing_now = c.status == api::ConditionStatus::True;
    }
  }
  if (!issuing_now || decision.action == Action::StoreIssued)
    end_issuance(key);
  if (decision.action != Action::Issue && !issuing)
    co_await prune_requests(view);
  if (decision.requeue_at)
    runner_.enqueue(kinds_.certificate, key, *decision.requeue_at);
  co_return Status{};
}

asio::awaitable<Status> ShardController::issue(const api::Certificate& crt,
                                               const CertificateView& view, int32_t revision,
                                               const std::optional<RequestView>& stale) {
  const std::string& ns = crt.metadata.namespace_;
  const std::string key = ns + "/" + crt.metadata.name;
  if (stale) {
    // The request for this revision no longer fits the spec, or failed
    // before this attempt began.
    auto removed = co_await client_.remove<api::CertificateRequest>(ns, stale->name);
    if (!removed && !k8s::is_not_found(removed.error()))
      co_return removed;
  }
  if (!view.key)
    co_return Error(Errc::invalid_value, view.rare.get().key_error);
  const pki::KeySpec spec = *view.key;

  std::optional<pki::PrivateKey> key_pair;
  if (spec.rotation == api::RotationPolicy::Never) {
    // Keep the Secret's key when it still satisfies the spec.
    auto existing = co_await get_secret(ns, crt.spec.secret_name);
    if (!existing)
      co_return existing.error();
    if (*existing) {
      auto parsed = pki::parse_private_key(data_of(**existing, "tls.key"), "the Secret's tls.key");
      if (parsed && pki::key_matches_spec(*parsed, spec))
        key_pair.emplace(std::move(*parsed));
    }
  }
  if (!key_pair) {
    auto generated = co_await issuers::generate_key(pool_, spec);
    if (!generated)
      co_return generated.error();
    key_pair.emplace(std::move(*generated));
  }
  auto key_pem = pki::encode_private_key(*key_pair, spec.encoding);
  if (!key_pem)
    co_return key_pem.error();
  auto csr = pki::build_csr(crt.spec, *key_pair);
  if (!csr)
    co_return csr.error();

  auto created = co_await client_.create(make_request(crt, revision, std::move(*csr)));
  if (!created)
    co_return created.error();
  Issuance& record = issuances_.at(key);
  record.pending = std::make_unique<PendingKey>(
      PendingKey{revision, public_key_digest(*key_pair), *key_pem, {}, {}});
  slots_.hold(key);
  Expectation& e = expect(key);
  e = Expectation{crt.metadata.resource_version,
                  {},
                  ns + "/" + created->metadata.name,
                  created->metadata.resource_version,
                  e.deadline};
  if (const IssuerView* issuer = issuer_of(view); signs_in_process(issuer)) {
    co_return co_await sign(std::move(*created), *issuer, revision, std::move(*key_pem));
  }
  co_return Status{};
}

asio::awaitable<Status> ShardController::store(const api::Certificate& crt,
                                               const RequestView& request) {
  const std::string& ns = crt.metadata.namespace_;
  const std::string key = ns + "/" + crt.metadata.name;
  std::string key_pem, chain_pem, ca_pem;
  const Issuance* record = issuances_.find(key);
  if (const PendingKey* p = record ? record->pending.get() : nullptr;
      p && p->public_key_digest == request.public_key_digest) {
    key_pem = p->key_pem;
    chain_pem = p->chain_pem;
    ca_pem = p->ca_pem;
  } else {
    // After a restart: the key may already be in the Secret (stored, but
    // the status write did not happen).
    auto existing = co_await get_secret(ns, crt.spec.secret_name);
    if (!existing)
      co_return existing.error();
    if (*existing) {
      auto parsed = pki::parse_private_key(data_of(**existing, "tls.key"), "the Secret's tls.key");
      if (parsed && public_key_digest(*parsed) == request.public_key_digest)
        key_pem = data_of(**existing, "tls.key");
    }
  }
  if (key_pem.empty()) {
    log::info("the key of an issued request is lost; issuing the revision again",
              {{"certificate", key}, {"request", request.name}});
    auto removed = co_await client_.remove<api::CertificateRequest>(ns, request.name);
    if (!removed && !k8s::is_not_found(removed.error()))
      co_return removed;
    co_return Status{};
  }
  if (chain_pem.empty()) {
    auto stored = co_await client_.get<api::CertificateRequest>(ns, request.name);
    if (!stored)
      co_return stored.error();
    chain_pem = stored->status.certificate.data;
    ca_pem = stored->status.ca.data;
  }
  pki::TlsSecretInput input{std::move(key_pem), std::move(chain_pem), std::move(ca_pem), {}};
  if (crt.spec.keystores && crt.spec.keystores->pkcs12 && crt.spec.keystores->pkcs12->create &&
      crt.spec.keystores->pkcs12->password_secret_ref) {
    const api::SecretKeySelector& ref = *crt.spec.keystores->pkcs12->password_secret_ref;
    auto password = co_await get_secret(ns, ref.name);
    if (!password)
      co_return password.error();
    if (!*password)
      co_return Error(Errc::invalid_argument, "the PKCS#12 password Secret \"" + ref.name +
                                                  "\" does not exist in namespace " + ns);
    input.pkcs12_password = data_of(**password, ref.key);
  }
  auto secret = pki::build_tls_secret(crt, input);
  if (!secret)
    co_return secret.error();
  auto written = co_await client_.apply(*secret);
  if (!written)
    co_return written.error();
  expect(key).secret_version = written->metadata.resource_version;
  co_return Status{};
}

asio::awaitable<Status> ShardController::repair_secret(const api::Certificate& crt) {
  const std::string& ns = crt.metadata.namespace_;
  auto existing = co_await get_secret(ns, crt.spec.secret_name);
  if (!existing)
    co_return existing.error();
  if (!*existing)
    co_return Status{};  // gone meanwhile: the next reconcile issues
  const api::Secret& old = **existing;
  auto secret = pki::build_tls_secret(
      crt, {data_of(old, "tls.key"), data_of(old, "tls.crt"), data_of(old, "ca.crt"), {}});
  if (!secret)
    co_return secret.error();
  auto written = co_await client_.apply(*secret);
  if (!written)
    co_return written.error();
  const std::string key = ns + "/" + crt.metadata.name;
  Expectation& e = expect(key);
  if (e.certificate_version.empty())
    e.certificate_version = crt.metadata.resource_version;
  e.secret_version = written->metadata.resource_version;
  co_return Status{};
}

asio::awaitable<Status> ShardController::write_status(const api::Certificate& crt,
                                                      const StatusUpdate& update) {
  api::Certificate updated = crt;
  apply_status(updated.status, update);
  auto written = co_await client_.update_status(updated);
  if (!written)
    co_return written.error();
  expect(crt.metadata.namespace_ + "/" + crt.metadata.name).certificate_version =
      written->metadata.resource_version;
  co_return Status{};
}

asio::awaitable<void> ShardController::prune_requests(const CertificateView& crt) {
  const std::vector<const RequestView*> owned = requests_of(crt);
  if (owned.size() <= 1)
    co_return;
  for (const std::string& name : requests_to_prune(owned, crt.revision_history_limit)) {
    auto removed = co_await client_.remove<api::CertificateRequest>(crt.namespace_, name);
    if (!removed && !k8s::is_not_found(removed.error()))
      log::warn("pruning an old CertificateRequest failed",
                {{"request", crt.namespace_ + "/" + name}, {"error", removed.error().message()}});
  }
}

asio::awaitable<void> ShardController::record(const api::ObjectReference& object,
                                              const std::vector<EventNote>& events) {
  co_await record(events_, object, events);
}

asio::awaitable<void> ShardController::record(k8s::EventRecorder& recorder,
                                              const api::ObjectReference& object,
                                              const std::vector<EventNote>& events) {
  for (const EventNote& note : events)
    co_await recorder.record(object, note.type, note.reason, note.message);
}

asio::awaitable<Result<std::optional<api::Secret>>> ShardController::get_secret(
    const std::string& ns, const std::string& name) {
  auto secret = co_await client_.get<api::Secret>(ns, name);
  if (secret)
    co_return std::optional<api::Secret>(std::move(*secret));
  if (k8s::is_not_found(secret.error()))
    co_return std::optional<api::Secret>();
  co_return secret.error();
}

}  // namespace certmill::controller
