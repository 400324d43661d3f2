// ingress-shim and gateway-shim on a shard: the reconcile of an annotated
// Ingress or Gateway, and the indexes that tie the Certificates they made
// back to them (by the owner's uid), so that an edited or deleted
// Certificate is put back.
#pragma once

#include <set>
#include <string>
#include <unordered_map>

#include "controller/runtime/shard_context.hpp"
#include "controller/shim_certificate.hpp"

namespace certmill::controller {

class ShimEffects {
 public:
  explicit ShimEffects(ShardContext& shard) : shard_(shard) {}

  asio::awaitable<Status> sync_ingress(const std::string& key);
  asio::awaitable<Status> sync_gateway(const std::string& key);
  // The cache handlers.
  void ingress_changed(const std::string& key, const api::Ingress* before,
                       const api::Ingress* after);
  void gateway_changed(const std::string& key, const api::Gateway* before,
                       const api::Gateway* after);
  void certificate_changed(const std::string& key, const CertificateView* before,
                           const CertificateView* after);

 private:
  // A queued object, as the index remembers its Ingress or Gateway.
  struct Queued {
    Runner::Kind kind;
    std::string key;
  };

  void owner_changed(Runner::Kind kind, const std::string& key, const api::ObjectMeta* before,
                     const api::ObjectMeta* after);
  asio::awaitable<Status> apply(const api::ObjectMeta& owner, const api::ObjectReference& ref,
                                ShimResult result);

  ShardContext& shard_;
  std::unordered_map<HashedKey, std::set<std::string>, HashedKeyHash> certificates_by_owner_;
  std::unordered_map<HashedKey, Queued, HashedKeyHash> owner_by_uid_;
};

}  // namespace certmill::controller
