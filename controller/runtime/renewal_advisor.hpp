// ACME Renewal Information on a shard: the CA's suggested renewal time for
// each ACME Certificate's current certificate, asked beside the reconciles
// and again when the CA's Retry-After has passed (certmill's own renewal
// time stands when the CA offers none), and the CertID a renewal order names
// in `replaces`, which Let's Encrypt exempts from its rate limits.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "controller/issuer_view.hpp"
#include "controller/runtime/issuance.hpp"
#include "controller/runtime/shard_context.hpp"
#include "controller/secret_view.hpp"

namespace certmill::controller {

class Signers;

class RenewalAdvisor {
 public:
  RenewalAdvisor(ShardContext& shard, Issuances& issuances, Signers& signers)
      : shard_(shard), issuances_(issuances), signers_(signers) {}

  // The CA's renewal time for the Secret's certificate when known; asks the
  // CA (beside the reconciles) when it is not, or when it is time again.
  std::optional<Time> suggested_renewal(const std::string& key, const SecretView* secret,
                                        const IssuerView* issuer);
  // The RFC 9773 CertID of the certificate in the Certificate's Secret, when
  // `issuer` issued it: what a renewal order replaces.
  asio::awaitable<std::string> replaced_cert_id(const std::string& key, const IssuerView& issuer);

 private:
  asio::awaitable<void> ask(std::string key, IssuerView issuer, std::string ns,
                            std::string secret_name, uint64_t crt_digest);

  ShardContext& shard_;
  Issuances& issuances_;
  Signers& signers_;
};

}  // namespace certmill::controller
