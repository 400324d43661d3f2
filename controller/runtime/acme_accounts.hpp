// ACME issuers on a shard: the Issuer's account (key generated into
// privateKeySecretRef when missing, registered with the CA, status.acme and
// Ready written as cert-manager writes them) and the signer its
// CertificateRequests go through, one per shard since a connection pool
// lives on its shard.
#pragma once

#include <memory>
#include <string>

#include "controller/issuer_view.hpp"
#include "controller/runtime/account_registrations.hpp"
#include "controller/runtime/shard_context.hpp"
#include "core/api/issuer.hpp"
#include "issuers/acme/issuer.hpp"

namespace certmill::controller {

class AcmeAccounts {
 public:
  AcmeAccounts(ShardContext& shard, AccountRegistrations& registrations)
      : shard_(shard), registrations_(registrations) {}

  // The ACME Issuer's reconcile: register, then write Ready and status.acme.
  asio::awaitable<Status> sync(bool cluster, const std::string& key, const IssuerView& issuer);
  // A signer over the Issuer's registered account.
  asio::awaitable<Result<std::shared_ptr<issuers::Backend>>> signer(const IssuerView& issuer,
                                                                    const api::ACMEIssuer& acme);

 private:
  // The Issuer's account, registered with the CA; `create_key` makes the
  // account key when its Secret is missing (the Issuer's reconcile does).
  asio::awaitable<Result<issuers::acme::OpenAccount>> open(const IssuerView& issuer,
                                                           const api::ACMEIssuer& acme,
                                                           bool create_key);
  // The account key's PEM, made and stored when missing and allowed.
  asio::awaitable<Result<std::string>> account_key(const std::string& ns,
                                                   const api::ACMEIssuer& acme, bool create_key);

  ShardContext& shard_;
  AccountRegistrations& registrations_;
};

}  // namespace certmill::controller
