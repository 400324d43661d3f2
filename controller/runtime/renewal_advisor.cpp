// Asking the CA when to renew, and what a renewal replaces. The advice is
// kept per Certificate in its Issuance record, by the digest of the
// certificate it is about, so a new certificate is asked about anew.
#include "controller/runtime/renewal_advisor.hpp"

#include "controller/digest.hpp"
#include "controller/runtime/certificate_effects.hpp"
#include "controller/runtime/signers.hpp"
#include "core/acme/ari.hpp"
#include "core/log.hpp"
#include "k8s/api_error.hpp"

namespace certmill::controller {

namespace {

// How long to wait before asking a CA again that could not answer, or that
// has no renewalInfo (its directory may gain one).
constexpr auto kAskAgainAfterFailure = std::chrono::hours(1);
constexpr auto kAskAgainWithoutAri = std::chrono::hours(24);
// Per shard: questions in flight, and the pace (a second's worth at once).
constexpr unsigned kAskers = 2;
constexpr double kAsksPerSecond = 5;
// How long status.acme.ari's lastChecked may lag behind an unchanged answer.
constexpr auto kTellAgainAfter = std::chrono::hours(24);

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
  // The wake for the next question, again: a reconcile in between (a watch
  // event) takes the key off the queue with its later wakes.
  if (current && !advice.asking)
    shard_.runner.enqueue(shard_.kinds.certificate, key, advice.ask_again);
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
  std::string cert_id;
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
      if (auto id = certmill::acme::ari_cert_id(crt->second.data))
        cert_id = std::move(*id);
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
  *advice = RenewalAdvice{crt_digest,        renewal,      ask_again,      false,
                          advice->explained, advice->told, advice->told_at};
  shard_.runner.enqueue(shard_.kinds.certificate, key, moved ? shard_.now() : ask_again);
  if (offered) {
    explain(key, *offered);
    if (!cert_id.empty())
      tell(key, cert_id, *offered);
  }
}

void RenewalAdvisor::tell(const std::string& key, const std::string& cert_id,
                          const issuers::SuggestedRenewal& offered) {
  Issuance* record = issuances_.find(key);
  if (!record || !record->advice)
    return;
  RenewalAdvice& advice = *record->advice;
  const uint64_t told = digest_of(cert_id + " " + format_time(offered.window_start) + " " +
                                  format_time(offered.window_end));
  const Time now = shard_.now();
  if (advice.told == told && now < advice.told_at + kTellAgainAfter)
    return;
  advice.told = told;
  advice.told_at = now;
  advice.untold = std::make_unique<api::CertificateAcmeAriStatus>(api::CertificateAcmeAriStatus{
      cert_id, api::AcmeRenewalWindow{offered.window_start, offered.window_end}, now,
      offered.ask_again_at});
  shard_.runner.enqueue(shard_.kinds.certificate, key);
}

asio::awaitable<void> RenewalAdvisor::write_untold(const std::string& key,
                                                   const CertificateView& view) {
  Issuance* record = issuances_.find(key);
  if (!record || !record->advice || !record->advice->untold)
    co_return;
  const api::CertificateAcmeAriStatus ari = std::move(*record->advice->untold);
  record->advice->untold.reset();
  const std::string ns = view.namespace_, name = view.name;
  auto current = co_await shard_.client.get<api::Certificate>(ns, name);
  if (!current)
    co_return;
  // The same answer, written less than a day ago (by this process before a
  // restart, or by cert-manager): nothing to add.
  const auto& acme = current->status.acme;
  if (acme && acme->ari && acme->ari->cert_id == ari.cert_id &&
      acme->ari->suggested_window == ari.suggested_window && acme->ari->last_checked &&
      *ari.last_checked < *acme->ari->last_checked + kTellAgainAfter)
    co_return;
  // status.acme alone: a merge patch that changes nothing else needs no
  // resourceVersion, and never conflicts with the status writes that do.
  const std::string patch =
      R"({"status":{"acme":)" + api::encode(api::CertificateAcmeStatus{ari}) + "}}";
  auto written = co_await shard_.client.merge_patch<api::Certificate>(ns, name, patch, true);
  if (!written && !k8s::is_not_found(written.error()))
    log::warn("a Certificate's renewal information could not be written to its status",
              {{"certificate", key}, {"error", written.error().message()}});
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
