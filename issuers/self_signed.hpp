// The SelfSigned issuer: a request is signed by its own private key; tls.crt
// and ca.crt are both the new certificate. Signing runs on the worker pool.
#pragma once

#include "core/api/issuer.hpp"
#include "issuers/backend.hpp"
#include "reactor/clock.hpp"
#include "reactor/worker_pool.hpp"

namespace certmill::issuers {

class SelfSignedBackend final : public Backend {
 public:
  SelfSignedBackend(reactor::WorkerPool& pool, reactor::Clock& clock, api::SelfSignedIssuer spec);
  asio::awaitable<Result<Issued>> sign(SignRequest request, SignContext context) override;

 private:
  reactor::WorkerPool& pool_;
  reactor::Clock& clock_;
  api::SelfSignedIssuer spec_;
};

}  // namespace certmill::issuers
