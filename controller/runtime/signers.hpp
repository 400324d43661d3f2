// The backends a shard signs with, one per issuer, made by the factory
// registered for the issuer's type (as Envoy finds its extensions by name:
// a new issuer type is one add()), and kept a short while, so that a fleet's
// issuance reads an issuer once and not per certificate. An ACME signer is
// an open account session, kept while its issuer is unchanged. A fleet due
// at once waits for the one signer being made.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include "controller/issuer_view.hpp"
#include "controller/runtime/shard_context.hpp"
#include "core/api/issuer.hpp"
#include "issuers/backend.hpp"
#include "reactor/notifier.hpp"

namespace certmill::controller {

// The issuer's spec, read from the API server (the cache keeps only a view).
asio::awaitable<Result<api::IssuerSpec>> fetch_issuer_spec(k8s::Client& client,
                                                           const IssuerView& issuer);

class Signers {
 public:
  using Made = Result<std::shared_ptr<issuers::Backend>>;
  // Makes a backend from the issuer's spec (fresh from the API server).
  using Factory = std::function<asio::awaitable<Made>(const IssuerView&, const api::IssuerSpec&)>;

  explicit Signers(ShardContext& shard) : shard_(shard) {}

  void add(IssuerType type, Factory factory);
  // Whether a backend of this type signs in certmill (others are signed
  // by an external issuer, as cert-manager's are).
  bool signs(IssuerType type) const { return factories_.contains(type); }

  // The issuer's signer, made when there is none or it is stale.
  asio::awaitable<Made> get(const IssuerView& issuer);
  // The spec the issuer's signer was made from, once get() has made or found
  // it: an ACME order's solvers come from it, not from a read per order.
  std::shared_ptr<const api::IssuerSpec> spec(const IssuerView& issuer) const;
  // The issuer changed: its next signature opens a new signer.
  void forget(bool cluster, const std::string& key);

 private:
  struct Signer {
    int64_t generation = 0;
    Time fetched;
    // Shared: a signature in flight keeps its backend alive when the entry
    // is replaced or dropped meanwhile.
    std::shared_ptr<issuers::Backend> backend;
    std::shared_ptr<const api::IssuerSpec> spec;
  };

  asio::awaitable<Result<Signer>> make(IssuerView issuer);

  ShardContext& shard_;
  std::unordered_map<IssuerType, Factory> factories_;
  std::unordered_map<std::string, Signer> signers_;
  // Signers being made, so that a fleet due at once opens one ACME account.
  std::unordered_map<std::string, std::unique_ptr<reactor::Notifier>> opening_;
};

}  // namespace certmill::controller
