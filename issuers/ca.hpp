// The CA issuer: requests are signed by the key pair in the Issuer's
// spec.ca.secretName (read by the controller and handed over as Secret data),
// stamped with the Issuer's CRL, OCSP and issuing-certificate URLs.
#pragma once

#include "core/api/issuer.hpp"
#include "core/api/secret.hpp"
#include "core/pki/ca_keypair.hpp"
#include "core/pki/sign.hpp"
#include "issuers/backend.hpp"
#include "reactor/clock.hpp"
#include "reactor/worker_pool.hpp"

namespace certmill::issuers {

// The CA key pair from the Secret's tls.crt and tls.key, checked (matching,
// a CA, valid at `now`); errors name the Secret.
Result<pki::CaKeyPair> ca_key_pair_from_secret(const api::Secret& secret, Time now);

class CaBackend final : public Backend {
 public:
  CaBackend(reactor::WorkerPool& pool, reactor::Clock& clock, pki::CaKeyPair ca,
            api::CAIssuer spec);
  asio::awaitable<Result<Issued>> sign(SignRequest request, SignContext context) override;

 private:
  reactor::WorkerPool& pool_;
  reactor::Clock& clock_;
  pki::CaKeyPair ca_;
  pki::IssuerUrls urls_;
};

}  // namespace certmill::issuers
