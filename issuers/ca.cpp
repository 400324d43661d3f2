// CA signing off the shard. The key pair is immutable after construction, so
// concurrent jobs on the pool may share it.
#include "issuers/ca.hpp"

#include "core/pki/sign.hpp"

namespace certmill::issuers {

Result<pki::CaKeyPair> ca_key_pair_from_secret(const api::Secret& secret, Time now) {
  const auto value = [&](const char* key) {
    const auto it = secret.data.find(key);
    return it == secret.data.end() ? std::string() : it->second.data;
  };
  return pki::load_ca_key_pair(value("tls.crt"), value("tls.key"), now,
                               secret.metadata.namespace_ + "/" + secret.metadata.name);
}

CaBackend::CaBackend(reactor::WorkerPool& pool, reactor::Clock& clock, pki::CaKeyPair ca,
                     api::CAIssuer spec)
    : pool_(pool),
      clock_(clock),
      ca_(std::move(ca)),
      urls_{std::move(spec.crl_distribution_points), std::move(spec.ocsp_servers),
            std::move(spec.issuing_certificate_urls)} {}

asio::awaitable<Result<Issued>> CaBackend::sign(SignRequest request, SignContext) {
  const Time now = std::chrono::floor<std::chrono::seconds>(clock_.now());
  co_return co_await pool_.run([request = std::move(request), now, this]() -> Result<Issued> {
    auto bundle = pki::sign_with_ca(
        pki::SigningRequest{request.csr_pem, request.duration, request.is_ca, request.usages, now},
        ca_, urls_);
    if (!bundle)
      return bundle.error();
    return Issued{std::move(bundle->chain_pem), std::move(bundle->ca_pem)};
  });
}

}  // namespace certmill::issuers
