// Issuers and ClusterIssuers on a shard: their reconcile (Ready, and the ACME
// account for ACME issuers), and what a change to one wakes: its own
// reconcile on the shard that owns it, a new signer, and the Certificates
// that name it.
#pragma once

#include <string>
#include <unordered_map>

#include "controller/issuer_view.hpp"
#include "controller/runtime/shard_context.hpp"
#include "core/api/codec.hpp"

namespace certmill::controller {

class AcmeAccounts;
class Signers;

class IssuerEffects {
 public:
  IssuerEffects(ShardContext& shard, AcmeAccounts& accounts, Signers& signers)
      : shard_(shard), accounts_(accounts), signers_(signers) {}

  asio::awaitable<Status> sync(bool cluster, const std::string& key);
  // The cache handler.
  void changed(bool cluster, const std::string& key, const IssuerView* before,
               const IssuerView* after);
  // A Secret changed: the CA issuers that read it look again.
  void secret_changed(const SecretView& secret);
  // An Issuer or ClusterIssuer the API server took but certmill cannot read
  // (a field its type requires is missing, caBundle is not base64): it is
  // told so as Ready=False ConfigError with the field and why, an Event and a
  // log line, once per problem. On the informers' shard.
  void undecodable(bool cluster, const api::InvalidObject& invalid);

 private:
  // A ClusterIssuer is cached on every shard; the shard of the cluster
  // resource namespace reconciles it, where its CA Secret is cached too.
  bool owns(bool cluster) const;

  ShardContext& shard_;
  AcmeAccounts& accounts_;
  Signers& signers_;
  std::unordered_map<std::string, IssuerSeries> series_;
  // What was said about each undecodable issuer, by key: our own status
  // write brings the object back undecoded, and is not repeated. (Broken
  // again the same way after a fix, it is said again after a restart.)
  std::unordered_map<std::string, std::string> undecodable_said_;
};

}  // namespace certmill::controller
