// ACME Renewal Information on a shard: the CA's suggested renewal time for
// each ACME Certificate's current certificate, asked beside the reconciles
// and again when the CA's Retry-After has passed (falling back to certmill's
// own renewal time when the CA offers none), and the CertID a renewal order
// names in `replaces`, which Let's Encrypt exempts from its rate limits.
#include "controller/issuer_readiness.hpp"
#include "controller/runtime/shard_controller.hpp"
#include "core/acme/ari.hpp"
#include "core/log.hpp"
#include "issuers/acme/renewal_info.hpp"
#include "k8s/api_error.hpp"

namespace certmill::controller {

namespace {

// How long to wait before asking a CA again that could not answer, or that
// has no renewalInfo (its directory may gain one).
constexpr auto kAskAgainAfterFailure = std::chrono::hours(1);
constexpr auto kAskAgainWithoutAri = std::chrono::hours(24);

}  // namespace

std::optional<Time> ShardController::suggested_renewal(const std::string& key,
                                                       const SecretView* secret,
                                                       const IssuerView* issuer) {
  if (!secret || !secret->cert || !issuer || issuer->type != IssuerType::ACME)
    return std::nullopt;
  const CertificateView* crt = caches_.certificates.partition(index_).find(key);
  if (!crt)
    return std::nullopt;
  RenewalAdvice& advice = issuances_.advice(key);
  const bool current = advice.crt_digest == secret->crt_digest;
  if (!advice.asking && (!current || now() >= advice.ask_again)) {
    advice.asking = true;
    if (!current)
      advice = RenewalAdvice{secret->crt_digest, std::nullopt, {}, true};
    const bool started =
        shard_.tasks().spawn([this, key, issuer = *issuer, ns = crt->namespace_,
                              name = crt->secret_name, digest = secret->crt_digest]() mutable {
          return fetch_renewal_info(std::move(key), std::move(issuer), std::move(ns),
                                    std::move(name), digest);
        });
    if (!started)
      advice.asking = false;
  }
  return current ? advice.renewal : std::nullopt;
}

asio::awaitable<void> ShardController::fetch_renewal_info(std::string key, IssuerView issuer,
                                                          std::string ns, std::string secret_name,
                                                          uint64_t crt_digest) {
  std::optional<Time> renewal;
  Time ask_again = now() + kAskAgainAfterFailure;
  auto backend = co_await signer(issuer);
  auto secret = co_await get_secret(ns, secret_name);
  if (backend && secret && *secret) {
    auto& acme = static_cast<issuers::acme::AcmeBackend&>(**backend);
    const auto& data = (*secret)->data;
    auto crt = data.find("tls.crt");
    auto info = crt == data.end()
                    ? Result<issuers::acme::RenewalInfo>(
                          Error(Errc::missing_field, "the Secret has no tls.crt"))
                    : co_await issuers::acme::renewal_info(acme.client(), crt->second.data);
    if (info && info->offered) {
      renewal = info->renewal_time;
      ask_again = info->retry_after_at;
    } else if (info) {
      ask_again = now() + kAskAgainWithoutAri;
    } else {
      log::info("the CA's renewal information could not be read; renewing on certmill's schedule",
                {{"certificate", key}, {"error", info.error().message()}});
      if (auto after = info.error().retry_after())
        ask_again = now() + *after;
    }
  }
  Issuance* record = issuances_.find(key);
  RenewalAdvice* advice = record ? record->advice.get() : nullptr;
  if (!advice || advice->crt_digest != crt_digest) {
    if (advice)
      advice->asking = false;
    co_return;  // the certificate changed meanwhile; its advice is asked anew
  }
  const bool moved = advice->renewal != renewal;
  *advice = RenewalAdvice{crt_digest, renewal, ask_again, false};
  runner_.enqueue(kinds_.certificate, key, moved ? now() : ask_again);
}

asio::awaitable<std::string> ShardController::replaced_cert_id(const std::string& key,
                                                               const IssuerView& issuer) {
  const CertificateView* crt = caches_.certificates.partition(index_).find(key);
  if (!crt)
    co_return std::string();
  const std::string ns = crt->namespace_, secret_name = crt->secret_name;
  const SecretView* cached =
      caches_.secrets.partition(index_).find(k8s::ObjectName{ns, secret_name});
  // Only a certificate this issuer made can be replaced at its CA.
  if (!cached || !cached->cert || !cached->issuer_name || *cached->issuer_name != issuer.name ||
      (cached->issuer_kind.str() == "ClusterIssuer") != issuer.cluster)
    co_return std::string();
  auto secret = co_await get_secret(ns, secret_name);
  if (!secret || !*secret)
    co_return std::string();
  auto crt_data = (*secret)->data.find("tls.crt");
  if (crt_data == (*secret)->data.end())
    co_return std::string();
  auto id = certmill::acme::ari_cert_id(crt_data->second.data);
  co_return id ? *id : std::string();
}

}  // namespace certmill::controller
