// Asking the CA when to renew, and what a renewal replaces. The advice is
// kept per Certificate in its Issuance record, by the digest of the
// certificate it is about, so a new certificate is asked about anew.
#include "controller/runtime/renewal_advisor.hpp"

#include "controller/runtime/certificate_effects.hpp"
#include "controller/runtime/signers.hpp"
#include "core/acme/ari.hpp"
#include "core/log.hpp"

namespace certmill::controller {

namespace {

// How long to wait before asking a CA again that could not answer, or that
// has no renewalInfo (its directory may gain one).
constexpr auto kAskAgainAfterFailure = std::chrono::hours(1);
constexpr auto kAskAgainWithoutAri = std::chrono::hours(24);
// Per shard: questions in flight, and the pace (a second's worth at once).
constexpr unsigned kAskers = 2;
constexpr double kAsksPerSecond = 5;

}  // namespace

RenewalAdvisor::RenewalAdvisor(ShardContext& shard, Issuances& issuances, Signers& signers)
    : shard_(shard),
      issuances_(issuances),
      signers_(signers),
      pace_(shard.reactor.clock(), kAsksPerSecond, kAsksPerSecond) {}

std::optional<Time> RenewalAdvisor::suggested_renewal(const std::string& key,
                                                      const SecretView* secret,
                                                      const IssuerView* issuer) {
  if (!secret || !secret->cert || !issuer || issuer->type != IssuerType::ACME)
    return std::nullopt;
  const CertificateView* crt = shard_.caches.certificates.partition(shard_.index).find(key);
  if (!crt)
    return std::nullopt;
  RenewalAdvice& advice = issuances_.advice(key);
  const bool current = advice.crt_digest == secret->crt_digest;
  if (!advice.asking && (!current || shard_.now() >= advice.ask_again)) {
    if (!current)
      advice = RenewalAdvice{secret->crt_digest, std::nullopt, {}, false, advice.explained};
    questions_.push_back({key, *issuer, crt->namespace_, crt->secret_name, secret->crt_digest});
    advice.asking = true;
    if (askers_ < kAskers && shard_.shard.tasks().spawn([this] { return asker(); }))
      ++askers_;
  }
  return current ? advice.renewal : std::nullopt;
}

asio::awaitable<void> RenewalAdvisor::asker() {
  // Counted down however it ends (a shutdown cancels it mid-line).
  struct Leaving {
    unsigned& askers;
    ~Leaving() { --askers; }
  } leaving{askers_};
  while (!questions_.empty()) {
    Question question = std::move(questions_.front());
    questions_.pop_front();
    if (auto ec = co_await pace_.acquire(); ec)
      co_return;
    co_await ask(std::move(question));
  }
}

asio::awaitable<void> RenewalAdvisor::ask(Question question) {
  auto& [key, issuer, ns, secret_name, crt_digest] = question;
  std::optional<Time> renewal;
  Time ask_again = shard_.now() + kAskAgainAfterFailure;
  std::optional<issuers::SuggestedRenewal> offered;
  auto backend = co_await signers_.get(issuer);
  auto secret = co_await shard_.get_secret(ns, secret_name);
  if (backend && secret && *secret) {
    const auto& data = (*secret)->data;
    auto crt = data.find("tls.crt");
    auto advice = crt == data.end() ? Result<issuers::SuggestedRenewal>(
                                          Error(Errc::missing_field, "the Secret has no tls.crt"))
                                    : co_await (*backend)->suggested_renewal(crt->second.data);
    if (advice && advice->offered) {
      renewal = advice->renewal_time;
      ask_again = advice->ask_again_at;
      offered = std::move(*advice);
    } else if (advice) {
      ask_again = shard_.now() + kAskAgainWithoutAri;
    } else {
      log::info("the CA's renewal information could not be read; renewing on certmill's schedule",
                {{"certificate", key}, {"error", advice.error().message()}});
      if (auto after = advice.error().retry_after())
        ask_again = shard_.now() + *after;
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
  *advice = RenewalAdvice{crt_digest, renewal, ask_again, false, advice->explained};
  shard_.runner.enqueue(shard_.kinds.certificate, key, moved ? shard_.now() : ask_again);
  if (offered)
    explain(key, *offered);
}

void RenewalAdvisor::explain(const std::string& key, const issuers::SuggestedRenewal& offered) {
  Issuance* record = issuances_.find(key);
  if (offered.explanation_url.empty() || !record || !record->advice ||
      record->advice->explained == offered.explanation_url)
    return;
  record->advice->explained = offered.explanation_url;
  const CertificateView* crt = shard_.caches.certificates.partition(shard_.index).find(key);
  if (!crt)
    return;
  const std::string message =
      "The CA suggests renewing between " + format_time(offered.window_start) + " and " +
      format_time(offered.window_end) + ", and explains why at " + offered.explanation_url;
  log::info("the CA explains a certificate's renewal window",
            {{"certificate", key}, {"explanation_url", offered.explanation_url}});
  // Read for its uid, which `kubectl describe` finds Events by: rare enough
  // (a CA explains only a window it moved) to cost a GET.
  shard_.shard.tasks().spawn(
      [this, ns = crt->namespace_, name = crt->name, message]() -> asio::awaitable<void> {
        auto certificate = co_await shard_.client.get<api::Certificate>(ns, name);
        if (certificate)
          co_await shard_.record(shard_.certificate_events, reference_to(*certificate),
                                 {{"Warning", "RenewalExplained", message}});
      });
}

asio::awaitable<std::string> RenewalAdvisor::replaced_cert_id(const std::string& key,
                                                              const IssuerView& issuer) {
  const CertificateView* crt = shard_.caches.certificates.partition(shard_.index).find(key);
  if (!crt)
    co_return std::string();
  const std::string ns = crt->namespace_, secret_name = crt->secret_name;
  const SecretView* cached =
      shard_.caches.secrets.partition(shard_.index).find(k8s::ObjectName{ns, secret_name});
  // Only a certificate this issuer made can be replaced at its CA.
  if (!cached || !cached->cert || !cached->issuer_name || *cached->issuer_name != issuer.name ||
      (cached->issuer_kind.str() == "ClusterIssuer") != issuer.cluster)
    co_return std::string();
  auto secret = co_await shard_.get_secret(ns, secret_name);
  if (!secret || !*secret)
    co_return std::string();
  auto crt_data = (*secret)->data.find("tls.crt");
  if (crt_data == (*secret)->data.end())
    co_return std::string();
  auto id = certmill::acme::ari_cert_id(crt_data->second.data);
  co_return id ? *id : std::string();
}

}  // namespace certmill::controller
