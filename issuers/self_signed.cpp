// SelfSigned signing off the shard.
#include "issuers/self_signed.hpp"

#include "core/pki/sign.hpp"

namespace certmill::issuers {

SelfSignedBackend::SelfSignedBackend(reactor::WorkerPool& pool, reactor::Clock& clock,
                                     api::SelfSignedIssuer spec)
    : pool_(pool), clock_(clock), spec_(std::move(spec)) {}

asio::awaitable<Result<Issued>> SelfSignedBackend::sign(SignRequest request, SignContext) {
  if (request.private_key_pem.empty())
    co_return Error(Errc::missing_field,
                    "a SelfSigned request needs the private key of its Certificate "
                    "(cert-manager.io/private-key-secret-name)");
  const Time now = std::chrono::floor<std::chrono::seconds>(clock_.now());
  co_return co_await pool_.run([request = std::move(request), now, this]() -> Result<Issued> {
    auto key = pki::parse_private_key(request.private_key_pem, "the request's private key");
    if (!key)
      return key.error();
    auto bundle = pki::sign_self_signed(
        pki::SigningRequest{request.csr_pem, request.duration, request.is_ca, request.usages, now},
        *key, pki::IssuerUrls{spec_.crl_distribution_points, {}, {}});
    if (!bundle)
      return bundle.error();
    return Issued{std::move(bundle->chain_pem), std::move(bundle->ca_pem)};
  });
}

}  // namespace certmill::issuers
