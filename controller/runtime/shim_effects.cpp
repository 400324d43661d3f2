// ingress-shim and gateway-shim at work: the Certificates an annotated
// Ingress or Gateway asks for are created, put back when edited, and deleted
// when no longer asked for; the object's own deletion takes its Certificates
// with it through their ownerReferences.
#include "controller/runtime/shim_effects.hpp"

#include "controller/gateway_shim.hpp"
#include "controller/ingress_shim.hpp"
#include "core/log.hpp"
#include "k8s/api_error.hpp"
#include "k8s/modify.hpp"

namespace certmill::controller {

namespace {

api::ObjectReference reference_to(const api::ObjectMeta& meta, const char* api_version,
                                  const char* kind) {
  return {api_version, kind, meta.name, meta.namespace_, meta.uid, {}, {}};
}

}  // namespace

// Each decides from the cache before any wait; the cache may change meanwhile.
asio::awaitable<Status> ShimEffects::sync_ingress(const std::string& key) {
  const api::Ingress* ingress = shard_.caches.ingresses.partition(shard_.index).find(key);
  if (!ingress)
    co_return Status{};
  const api::ObjectMeta meta = ingress->metadata;
  co_return co_await apply(meta, reference_to(meta, "networking.k8s.io/v1", "Ingress"),
                           ingress_certificates(*ingress, shard_.options.shim));
}

asio::awaitable<Status> ShimEffects::sync_gateway(const std::string& key) {
  const api::Gateway* gateway = shard_.caches.gateways->partition(shard_.index).find(key);
  if (!gateway)
    co_return Status{};
  const api::ObjectMeta meta = gateway->metadata;
  co_return co_await apply(meta, reference_to(meta, "gateway.networking.k8s.io/v1", "Gateway"),
                           gateway_certificates(*gateway, shard_.options.shim));
}

asio::awaitable<Status> ShimEffects::apply(const api::ObjectMeta& owner,
                                           const api::ObjectReference& ref, ShimResult result) {
  if (!result.managed)
    co_return Status{};
  co_await shard_.record(shard_.certificate_events, ref, result.events);
  if (!result.valid)
    co_return Status{};
  // The Certificates it controls and those it would name, from this shard's
  // cache (a namespace lives on one shard).
  const auto& certificates = shard_.caches.certificates.partition(shard_.index);
  const HashedKey owner_uid = uid_key(owner.uid);
  std::vector<const CertificateView*> existing;
  if (auto owned = certificates_by_owner_.find(owner_uid); owned != certificates_by_owner_.end()) {
    for (const auto& key : owned->second) {
      if (const CertificateView* crt = certificates.find(key))
        existing.push_back(crt);
    }
  }
  for (const api::Certificate& want : result.certificates) {
    const CertificateView* crt =
        certificates.find(k8s::ObjectName{owner.namespace_, want.metadata.name});
    if (crt && crt->owner_uid != owner_uid)
      existing.push_back(crt);
  }
  const ShimPlan plan = plan_shim(result, owner_uid, existing);

  Status outcome;
  std::vector<EventNote> refused;
  // The API server refuses a Certificate the annotations describe but its
  // validation forbids (a commonName over 64 characters, a duration under an
  // hour): said on the object as cert-manager's BadConfig, and not sent
  // again until the object changes; retrying it would be a write a minute.
  const auto refusal = [&](const api::Certificate& crt, const Error& error) {
    refused.push_back(
        {"Warning", "BadConfig",
         "The API server refused Certificate " + crt.metadata.name + ": " + error.message()});
  };
  std::size_t created_count = 0;
  for (const api::Certificate& crt : plan.create) {
    auto created = co_await shard_.client.create(crt);
    if (created)
      ++created_count;
    else if (k8s::is_invalid(created.error()))
      refusal(crt, created.error());
    else if (!k8s::is_conflict(created.error()))
      outcome = created.error();
  }
  for (const api::Certificate& want : plan.update) {
    auto updated = co_await k8s::modify<api::Certificate>(
        shard_.client, want.metadata.namespace_, want.metadata.name, [&](api::Certificate& crt) {
          if (crt.spec == want.spec &&
              crt.metadata.owner_references == want.metadata.owner_references)
            return false;
          crt.spec = want.spec;
          crt.metadata.owner_references = want.metadata.owner_references;
          for (const auto& [k, v] : want.metadata.labels)
            crt.metadata.labels[k] = v;
          for (const auto& [k, v] : want.metadata.annotations)
            crt.metadata.annotations[k] = v;
          return true;
        });
    if (!updated && k8s::is_invalid(updated.error()))
      refusal(want, updated.error());
    else if (!updated && !k8s::is_not_found(updated.error()))
      outcome = updated.error();
  }
  for (const std::string& name : plan.remove) {
    auto removed = co_await shard_.client.remove<api::Certificate>(owner.namespace_, name);
    if (!removed && !k8s::is_not_found(removed.error()))
      outcome = removed;
  }
  if (created_count > 0 || !plan.update.empty() || !plan.remove.empty()) {
    log::info("shim brought Certificates in line",
              {{"object", ref.kind + " " + owner.namespace_ + "/" + owner.name},
               {"created", created_count},
               {"updated", plan.update.size()},
               {"deleted", plan.remove.size()}});
  }
  co_await shard_.record(shard_.certificate_events, ref, refused);
  co_return outcome;
}

void ShimEffects::ingress_changed(const std::string& key, const api::Ingress* before,
                                  const api::Ingress* after) {
  owner_changed(shard_.kinds.ingress, key, before ? &before->metadata : nullptr,
                after ? &after->metadata : nullptr);
}

void ShimEffects::gateway_changed(const std::string& key, const api::Gateway* before,
                                  const api::Gateway* after) {
  owner_changed(shard_.kinds.gateway, key, before ? &before->metadata : nullptr,
                after ? &after->metadata : nullptr);
}

void ShimEffects::owner_changed(Runner::Kind kind, const std::string& key,
                                const api::ObjectMeta* before, const api::ObjectMeta* after) {
  shard_.on_shard();
  if (before)
    owner_by_uid_.erase(uid_key(before->uid));
  if (!after) {
    shard_.runner.forget(kind, key);
    return;
  }
  owner_by_uid_[uid_key(after->uid)] = Queued{kind, key};
  shard_.runner.enqueue(kind, key);
}

void ShimEffects::certificate_changed(const std::string& key, const CertificateView* before,
                                      const CertificateView* after) {
  if (before && !before->owner_uid.empty()) {
    auto owned = certificates_by_owner_.find(before->owner_uid);
    if (owned != certificates_by_owner_.end()) {
      owned->second.erase(key);
      if (owned->second.empty())
        certificates_by_owner_.erase(owned);
    }
  }
  if (after && !after->owner_uid.empty())
    certificates_by_owner_[after->owner_uid].insert(key);
  // A Certificate an Ingress or Gateway made was edited or deleted: the shim
  // puts it back.
  const CertificateView* owned = after ? after : before;
  if (!owned->owner_uid.empty() && (!before || !after || before->spec_hash != after->spec_hash)) {
    if (auto owner = owner_by_uid_.find(owned->owner_uid); owner != owner_by_uid_.end())
      shard_.runner.enqueue(owner->second.kind, owner->second.key);
  }
}

}  // namespace certmill::controller
