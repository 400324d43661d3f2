// The writes of a Certificate's reconcile: the request for a new revision
// (with a new key, or the Secret's own under rotationPolicy Never), the
// Secret once the request is issued, the Secret rewritten around its key
// pair, the status, and old requests pruned. Each write is remembered as an
// expectation the cache must show before the next reconcile trusts it.
#include <algorithm>

#include "controller/digest.hpp"
#include "controller/request_history.hpp"
#include "controller/runtime/certificate_effects.hpp"
#include "controller/runtime/request_signing.hpp"
#include "controller/status_writes.hpp"
#include "core/log.hpp"
#include "core/pki/csr.hpp"
#include "core/pki/tls_secret.hpp"
#include "issuers/keygen.hpp"
#include "k8s/api_error.hpp"

namespace certmill::controller {

std::string data_of(const api::Secret& secret, const std::string& key) {
  auto it = secret.data.find(key);
  return it == secret.data.end() ? std::string() : it->second.data;
}

uint64_t public_key_digest(const pki::PrivateKey& key) {
  return digest_of(pki::public_key_fingerprint(key.get()));
}

namespace {

// The reason when an issued certificate cannot be stored for a cause only the
// user can fix. Without it the Certificate sat at DoesNotExist, saying nothing.
constexpr const char* kNotStored = "SecretNotStored";

// Ready=False with `why`, unless Ready says so already; the new resource
// version, or empty when nothing was written.
asio::awaitable<Result<std::string>> say_not_stored(ShardContext& shard,
                                                    const api::Certificate& crt,
                                                    const std::string& message) {
  const auto& conditions = crt.status.conditions;
  const auto ready = std::find_if(conditions.begin(), conditions.end(),
                                  [](const api::Condition& c) { return c.type == "Ready"; });
  const bool was_false = ready != conditions.end() && ready->status == api::ConditionStatus::False;
  if (was_false && ready->reason == kNotStored && ready->message == message)
    co_return std::string();
  api::Certificate updated = crt;
  set_condition(
      updated.status.conditions,
      {"Ready", api::ConditionStatus::False, kNotStored, message,
       was_false && ready->last_transition_time ? *ready->last_transition_time : shard.now(),
       crt.metadata.generation});
  auto written = co_await shard.client.update_status(updated);
  if (!written)
    co_return written.error();
  co_await shard.record(shard.certificate_events, reference_to(crt),
                        {{"Warning", kNotStored, message}});
  co_return written->metadata.resource_version;
}

// A Secret for the key of an ACME request in flight, as cert-manager keeps its
// "next private key": an order runs for seconds to minutes, and a controller
// that restarts meanwhile continues it with this key instead of ordering
// again (a new order costs a token of the CA's budget). Owned by the
// Certificate, labelled as cert-manager labels it; deleted when the issuance
// ends. SelfSigned and CA requests are signed at once and keep their key in
// memory.
api::Secret next_key_secret(const api::Certificate& crt, const std::string& request,
                            const std::string& key_pem) {
  api::Secret secret;
  secret.metadata.namespace_ = crt.metadata.namespace_;
  secret.metadata.name = request_key_secret_name(request);
  secret.metadata.labels["cert-manager.io/next-private-key"] = "true";
  secret.metadata.owner_references.push_back(pki::certificate_owner_reference(crt));
  secret.data["tls.key"] = api::Bytes{key_pem};
  return secret;
}

}  // namespace

asio::awaitable<Status> CertificateEffects::issue(const api::Certificate& crt,
                                                  const CertificateView& view, int32_t revision,
                                                  const std::optional<RequestView>& stale) {
  const std::string& ns = crt.metadata.namespace_;
  const std::string key = ns + "/" + crt.metadata.name;
  if (stale) {
    // The request for this revision no longer fits the spec, or failed
    // before this attempt began.
    auto removed = co_await shard_.client.remove<api::CertificateRequest>(ns, stale->name);
    if (!removed && !k8s::is_not_found(removed.error()))
      co_return removed;
  }
  if (!view.key)
    co_return Error(Errc::invalid_value, view.rare.get().key_error);
  const pki::KeySpec spec = *view.key;

  std::optional<pki::PrivateKey> key_pair;
  if (spec.rotation == api::RotationPolicy::Never) {
    // Keep the Secret's key when it still satisfies the spec.
    auto existing = co_await shard_.get_secret(ns, crt.spec.secret_name);
    if (!existing)
      co_return existing.error();
    if (*existing) {
      auto parsed = pki::parse_private_key(data_of(**existing, "tls.key"), "the Secret's tls.key");
      if (parsed && pki::key_matches_spec(*parsed, spec))
        key_pair.emplace(std::move(*parsed));
    }
  }
  if (!key_pair) {
    auto generated = co_await issuers::generate_key(shard_.pool, spec);
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

  api::CertificateRequest request =
      make_request(crt, revision, std::move(*csr), shard_.options.copied_annotation_prefixes);
  std::string key_secret;
  if (const IssuerView* issuer = issuer_of(view); issuer && issuer->type == IssuerType::ACME) {
    api::Secret kept = next_key_secret(crt, request.metadata.name, *key_pem);
    auto written = co_await shard_.client.apply(kept);
    if (!written)
      co_return written.error();
    key_secret = kept.metadata.name;
  }
  auto created = co_await shard_.client.create(request);
  if (!created)
    co_return created.error();
  Issuance& record = issuances_.at(key);
  record.pending = std::make_unique<PendingKey>(
      PendingKey{revision, public_key_digest(*key_pair), *key_pem, {}, {}, key_secret});
  slots_.hold(key, slot_group(crt.metadata.namespace_, crt.spec.issuer_ref));
  Expectation& e = expect(key);
  e = Expectation{crt.metadata.resource_version,
                  {},
                  ns + "/" + created->metadata.name,
                  created->metadata.resource_version,
                  e.deadline};
  // Without certmill's approver the request waits for another's Approved
  // condition, whose write wakes the Certificate to sign it then.
  if (const IssuerView* issuer = issuer_of(view);
      shard_.options.approve_requests && signing_.signs_in_process(issuer)) {
    co_return co_await signing_.sign(std::move(*created), *issuer, revision, std::move(*key_pem));
  }
  co_return Status{};
}

asio::awaitable<Status> CertificateEffects::store(const api::Certificate& crt,
                                                  const RequestView& request) {
  const std::string& ns = crt.metadata.namespace_;
  const std::string key = ns + "/" + crt.metadata.name;
  std::string key_pem, chain_pem, ca_pem, kept_key_secret;
  const Issuance* record = issuances_.find(key);
  if (const PendingKey* p = record ? record->pending.get() : nullptr;
      p && p->public_key_digest == request.public_key_digest) {
    key_pem = p->key_pem;
    chain_pem = p->chain_pem;
    ca_pem = p->ca_pem;
    kept_key_secret = p->key_secret;
  } else {
    // After a restart: an ACME request's key waits in the Secret kept for it;
    // or the key may already be in the Secret (stored, but the status write
    // did not happen).
    const std::string kept = request_key_secret_name(request.name);
    for (const std::string& name : {kept, std::string(crt.spec.secret_name)}) {
      auto existing = co_await shard_.get_secret(ns, name);
      if (!existing)
        co_return existing.error();
      if (!*existing)
        continue;
      auto parsed = pki::parse_private_key(data_of(**existing, "tls.key"), "the Secret's tls.key");
      if (parsed && public_key_digest(*parsed) == request.public_key_digest) {
        key_pem = data_of(**existing, "tls.key");
        if (name == kept)
          kept_key_secret = kept;
        break;
      }
    }
  }
  if (key_pem.empty()) {
    log::info("the key of an issued request is lost; issuing the revision again",
              {{"certificate", key}, {"request", request.name}});
    auto removed = co_await shard_.client.remove<api::CertificateRequest>(ns, request.name);
    if (!removed && !k8s::is_not_found(removed.error()))
      co_return removed;
    co_return Status{};
  }
  if (chain_pem.empty()) {
    auto stored = co_await shard_.client.get<api::CertificateRequest>(ns, request.name);
    if (!stored)
      co_return stored.error();
    chain_pem = stored->status.certificate.data;
    ca_pem = stored->status.ca.data;
  }
  pki::TlsSecretInput input{std::move(key_pem),
                            std::move(chain_pem),
                            std::move(ca_pem),
                            {},
                            shard_.options.certificate_owner_ref};
  if (crt.spec.keystores && crt.spec.keystores->pkcs12 && crt.spec.keystores->pkcs12->create &&
      crt.spec.keystores->pkcs12->password_secret_ref) {
    const api::SecretKeySelector& ref = *crt.spec.keystores->pkcs12->password_secret_ref;
    auto password = co_await shard_.get_secret(ns, ref.name);
    if (!password)
      co_return password.error();
    if (!*password || !(*password)->data.contains(ref.key)) {
      const std::string message =
          "The certificate was issued but cannot be stored: the PKCS#12 password Secret \"" +
          ref.name + "\" " +
          (*password ? "has no key \"" + ref.key + "\"" : "does not exist in namespace " + ns) +
          "; create it, or remove spec.keystores.pkcs12";
      auto said = co_await say_not_stored(shard_, crt, message);
      if (!said)
        co_return said.error();
      if (!said->empty())
        expect(key).certificate_version = *said;
      co_return Error(Errc::invalid_argument, message);
    }
    input.pkcs12_password = data_of(**password, ref.key);
  }
  auto secret = pki::build_tls_secret(crt, input);
  if (!secret)
    co_return secret.error();
  auto written = co_await shard_.client.apply(*secret);
  if (!written)
    co_return written.error();
  expect(key).secret_version = written->metadata.resource_version;
  // The key is in its Secret now: the copy kept for a restart goes, in this
  // reconcile (a task left for later may not run before a shutdown).
  if (!kept_key_secret.empty()) {
    auto removed = co_await shard_.client.remove<api::Secret>(ns, kept_key_secret);
    if (!removed && !k8s::is_not_found(removed.error()))
      co_return removed;
    if (Issuance* current = issuances_.find(key); current && current->pending)
      current->pending->key_secret.clear();
  }
  co_return Status{};
}

asio::awaitable<Status> CertificateEffects::repair_secret(const api::Certificate& crt) {
  const std::string& ns = crt.metadata.namespace_;
  auto existing = co_await shard_.get_secret(ns, crt.spec.secret_name);
  if (!existing)
    co_return existing.error();
  if (!*existing)
    co_return Status{};  // gone meanwhile: the next reconcile issues
  const api::Secret& old = **existing;
  auto secret = pki::build_tls_secret(crt, {data_of(old, "tls.key"),
                                            data_of(old, "tls.crt"),
                                            data_of(old, "ca.crt"),
                                            {},
                                            shard_.options.certificate_owner_ref});
  if (!secret)
    co_return secret.error();
  auto written = co_await shard_.client.apply(*secret);
  if (!written)
    co_return written.error();
  const std::string key = ns + "/" + crt.metadata.name;
  Expectation& e = expect(key);
  if (e.certificate_version.empty())
    e.certificate_version = crt.metadata.resource_version;
  e.secret_version = written->metadata.resource_version;
  co_return Status{};
}

asio::awaitable<Status> CertificateEffects::write_status(const api::Certificate& crt,
                                                         const StatusUpdate& update) {
  api::Certificate updated = crt;
  apply_status(updated.status, update);
  auto written = co_await shard_.client.update_status(updated);
  if (!written)
    co_return written.error();
  expect(crt.metadata.namespace_ + "/" + crt.metadata.name).certificate_version =
      written->metadata.resource_version;
  co_return Status{};
}

asio::awaitable<void> CertificateEffects::prune_requests(const CertificateView& crt) {
  const std::vector<const RequestView*> owned = requests_of(crt);
  if (owned.size() <= 1)
    co_return;
  for (const std::string& name : requests_to_prune(owned, crt.revision_history_limit)) {
    auto removed = co_await shard_.client.remove<api::CertificateRequest>(crt.namespace_, name);
    if (!removed && !k8s::is_not_found(removed.error()))
      log::warn("pruning an old CertificateRequest failed",
                {{"request", crt.namespace_ + "/" + name}, {"error", removed.error().message()}});
  }
}

}  // namespace certmill::controller
