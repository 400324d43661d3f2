// ingress-shim and gateway-shim at work: the Certificates an annotated
// Ingress or Gateway asks for are created, put back when edited, and deleted
// when no longer asked for; the object's own deletion takes its Certificates
// with it through their ownerReferences.
#include "controller/gateway_shim.hpp"
#include "controller/ingress_shim.hpp"
#include "controller/runtime/shard_controller.hpp"
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
asio::awaitable<Status> ShardController::sync_ingress(const std::string& key) {
  const api::Ingress* ingress = caches_.ingresses.partition(index_).find(key);
  if (!ingress)
    co_return Status{};
  const api::ObjectMeta meta = ingress->metadata;
  co_return co_await apply_shim(meta, reference_to(meta, "networking.k8s.io/v1", "Ingress"),
                                ingress_certificates(*ingress, options_.shim));
}

asio::awaitable<Status> ShardController::sync_gateway(const std::string& key) {
  const api::Gateway* gateway = caches_.gateways->partition(index_).find(key);
  if (!gateway)
    co_return Status{};
  const api::ObjectMeta meta = gateway->metadata;
  co_return co_await apply_shim(meta, reference_to(meta, "gateway.networking.k8s.io/v1", "Gateway"),
                                gateway_certificates(*gateway, options_.shim));
}

asio::awaitable<Status> ShardController::apply_shim(const api::ObjectMeta& owner,
                                                    const api::ObjectReference& ref,
                                                    ShimResult result) {
  if (!result.managed)
    co_return Status{};
  co_await record(ref, result.events);
  if (!result.valid)
    co_return Status{};
  // The Certificates it controls and those it would name, from this shard's
  // cache (a namespace lives on one shard).
  const auto& certificates = caches_.certificates.partition(index_);
  const Key128 owner_uid = uid_key(owner.uid);
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
  for (const api::Certificate& crt : plan.create) {
    auto created = co_await client_.create(crt);
    if (!created && !k8s::is_conflict(created.error()))
      outcome = created.error();
  }
  for (const api::Certificate& want : plan.update) {
    auto updated = co_await k8s::modify<api::Certificate>(
        client_, want.metadata.namespace_, want.metadata.name, [&](api::Certificate& crt) {
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
    if (!updated && !k8s::is_not_found(updated.error()))
      outcome = updated.error();
  }
  for (const std::string& name : plan.remove) {
    auto removed = co_await client_.remove<api::Certificate>(owner.namespace_, name);
    if (!removed && !k8s::is_not_found(removed.error()))
      outcome = removed;
  }
  if (!plan.create.empty() || !plan.update.empty() || !plan.remove.empty()) {
    log::info("shim brought Certificates in line",
              {{"object", ref.kind + " " + owner.namespace_ + "/" + owner.name},
               {"created", plan.create.size()},
               {"updated", plan.update.size()},
               {"deleted", plan.remove.size()}});
  }
  co_return outcome;
}

}  // namespace certmill::controller
