// A request is signed by its issuer's backend and its status written with
// the chain or the failure; an ACME order also keeps Order and Challenge
// objects up to date for `kubectl describe` (AcmeOrderObjects).
#include "controller/runtime/request_signing.hpp"

#include "controller/acme_order_objects.hpp"
#include "controller/acme_order_solver.hpp"
#include "controller/http01_solver.hpp"
#include "controller/issuer_readiness.hpp"
#include "controller/retry_soon.hpp"
#include "controller/runtime/rate_gate.hpp"
#include "controller/runtime/renewal_advisor.hpp"
#include "controller/runtime/signers.hpp"
#include "controller/status_writes.hpp"
#include "core/acme/problem.hpp"
#include "core/log.hpp"
#include "issuers/acme/identifiers.hpp"
#include "k8s/api_error.hpp"
#include "solvers/dns/registry.hpp"
#include "solvers/http01/ingress_overrides.hpp"
#include "solvers/selection.hpp"

namespace certmill::controller {

namespace {

std::string certificate_of(const api::CertificateRequest& request) {
  auto name = request.metadata.annotations.find("cert-manager.io/certificate-name");
  return request.metadata.namespace_ + "/" +
         (name == request.metadata.annotations.end() ? std::string() : name->second);
}

// Every DNS name of the request has a solver certmill can act on, before an
// order is placed: one whose selector matches (wildcards need DNS-01), an
// HTTP-01 one only with certmill's listener and at most one ingress
// override, a DNS-01 one with a provider certmill has.
Status check_acme_names(const api::ACMEIssuer& acme, const api::CertificateRequest& request,
                        bool http01_listener) {
  auto csr = issuers::acme::read_order_csr(request.spec.request.data);
  if (!csr)
    return csr.error();
  for (const auto& identifier : csr->identifiers) {
    if (identifier.type != "dns")
      continue;
    auto chosen = solver_for(acme.solvers, request.metadata.labels, identifier.value,
                             solvers::kBothChallengeTypes, http01_listener);
    if (!chosen)
      return chosen.error();
    const api::ACMEChallengeSolver& solver = acme.solvers.at(chosen->index);
    if (chosen->type == api::AcmeChallengeType::DNS01) {
      if (auto provider = solvers::dns::configured_provider(*solver.dns01); !provider)
        return Error(provider.error().code(), identifier.value + ": " + provider.error().message());
      continue;
    }
    // The Certificate's HTTP-01 ingress overrides, checked before an order
    // is placed rather than when its Challenges are built.
    if (auto overridden = solvers::with_ingress_overrides(solver, request.metadata.annotations);
        !overridden)
      return overridden.error();
  }
  return Status{};
}

// One value of a Secret in `ns`, for a DNS provider's credentials.
asio::awaitable<Result<std::string>> read_secret_value(ShardContext& shard, std::string ns,
                                                       api::SecretKeySelector ref) {
  auto secret = co_await shard.get_secret(ns, ref.name);
  if (!secret)
    co_return secret.error();
  const std::string where = "Secret " + ns + "/" + ref.name;
  if (!*secret)
    co_return Error(Errc::missing_field, where + " does not exist");
  const auto value = (*secret)->data.find(ref.key);
  if (value == (*secret)->data.end() || value->second.data.empty())
    co_return Error(Errc::missing_field, where + " has no key \"" + ref.key + "\"");
  co_return value->second.data;
}

}  // namespace

std::shared_ptr<issuers::acme::ChallengeSolver> RequestSigning::order_solver(
    const api::ACMEIssuer& acme, const api::CertificateRequest& request, const IssuerView& issuer) {
  const RuntimeOptions& options = shard_.options;
  std::unique_ptr<issuers::acme::ChallengeSolver> http01;
  if (options.http01)
    http01 = std::make_unique<Http01Solver>(*options.http01, options.http01_self_check);
  const std::string secrets_namespace =
      issuer_secret_namespace(issuer, options.cluster_resource_namespace);
  solvers::dns::ProviderContext providers{
      .executor = shard_.shard.executor(),
      .read_secret =
          [this, ns = secrets_namespace](const api::SecretKeySelector& ref) {
            return read_secret_value(shard_, ns, ref);
          },
      .ambient_credentials = issuer.cluster ? options.cluster_issuer_ambient_credentials
                                            : options.issuer_ambient_credentials,
      .api_urls = options.dns01_provider_api_urls,
      .kube_post =
          [this](std::string path, std::string body) {
            return shard_.client.post_json(std::move(path), std::move(body));
          },
      .resource_namespace = secrets_namespace};
  Dns01Solver dns01(std::move(providers), shard_.dns01,
                    {.propagation = {.recursive_only = options.dns01_recursive_only,
                                     .authoritative_port = options.dns01_authoritative_port},
                     .on_propagated = [histogram = shard_.metrics.dns01().propagation_seconds](
                                          double seconds) { histogram->Observe(seconds); }});
  return std::make_shared<AcmeOrderSolver>(acme.solvers, request.metadata.labels, std::move(http01),
                                           std::move(dns01));
}

bool RequestSigning::signs_in_process(const IssuerView* issuer) const {
  return issuer && signers_.signs(issuer->type);
}

asio::awaitable<Status> RequestSigning::sign(api::CertificateRequest request, IssuerView issuer,
                                             int32_t revision, std::string key_pem, bool earlier) {
  if (issuer.type != IssuerType::ACME)
    co_return co_await sign_now(std::move(request), std::move(issuer), revision, std::move(key_pem),
                                false);
  // An order takes seconds to minutes: it runs beside the reconciles, and the
  // request's status write wakes the Certificate.
  const std::string certificate = certificate_of(request);
  Issuance& record = issuances_.at(certificate);
  if (record.ordering == request.metadata.name)
    co_return Status{};
  // The turn was taken before the request was made; a request left pending
  // (after a 429, or by an earlier process) asks for one here.
  if (rate_gate_.waiting(certificate))
    co_return Status{};
  if (!earlier && !rate_gate_.granted(certificate)) {
    if (auto order = request_order(issuer, request, shard_.options.cluster_resource_namespace)) {
      rate_gate_.admit(certificate, order->account, order->identifiers, std::nullopt, false, false);
      co_return Status{};
    }
  }
  record.ordering = request.metadata.name;
  // An order is continued from its Order's URL by the next process, so a
  // shutdown cancels it at once (a service of the shard) rather than waiting
  // out the grace period for minutes of polling; its request stays pending.
  const bool started =
      shard_.shard.services().spawn([this, request = std::move(request), issuer = std::move(issuer),
                                     revision, earlier]() mutable {
        return sign_detached(std::move(request), std::move(issuer), revision, earlier);
      });
  if (!started)
    end_order(certificate, record.ordering);
  co_return Status{};
}

void RequestSigning::end_order(const std::string& certificate, const std::string& request_name) {
  Issuance* record = issuances_.find(certificate);
  if (!record || record->ordering != request_name)
    return;  // the Certificate is gone, or orders another request now
  record->ordering.clear();
  issuances_.tidy(certificate);
}

asio::awaitable<void> RequestSigning::sign_detached(api::CertificateRequest request,
                                                    IssuerView issuer, int32_t revision,
                                                    bool earlier) {
  const std::string certificate = certificate_of(request);
  const std::string request_name = request.metadata.name;
  const std::string request_key = request.metadata.namespace_ + "/" + request_name;
  const Status signed_ =
      co_await sign_now(std::move(request), std::move(issuer), revision, {}, earlier);
  end_order(certificate, request_name);
  if (!signed_) {
    // The request is still pending (no account, the status write failed):
    // the Certificate's reconcile starts the order again, after a pause.
    log::warn("an ACME order could not start or report",
              {{"request", request_key}, {"error", signed_.error().message()}});
    shard_.runner.enqueue(shard_.kinds.certificate, certificate,
                          shard_.reactor.clock().now() + std::chrono::seconds(30));
  }
}

asio::awaitable<Result<Result<issuers::Issued>>> RequestSigning::order(
    const api::CertificateRequest& request, const IssuerView& issuer, const std::string& turn,
    std::string replaces, bool earlier, ChallengeStatusMetrics metrics) {
  auto backend = co_await signers_.get(issuer);
  if (!backend)
    co_return backend.error();
  const std::shared_ptr<const api::IssuerSpec> spec = signers_.spec(issuer);
  if (!spec || !spec->acme)
    co_return Error(Errc::invalid_value, "the issuer is no longer an ACME issuer");
  if (Status names = check_acme_names(*spec->acme, request, shard_.options.http01 != nullptr);
      !names)
    co_return Result<issuers::Issued>(names.error());
  const RuntimeOptions& options = shard_.options;
  const auto account = request_order(issuer, request, options.cluster_resource_namespace);
  AcmeOrderObjects objects(
      shard_.client, shard_.reactor.clock(), request, spec->acme->solvers,
      {options.http01_solver_service, {}, static_cast<int32_t>(options.http01_solver_port)},
      {options.pod_ip, static_cast<int32_t>(options.http01_listen_port)}, replaces,
      std::move(metrics),
      account ? RateLimitMarks{account->account.label, rate_gate_.renews_same_names(turn)}
              : RateLimitMarks{});
  std::string resume_url;
  if (earlier) {
    if (auto earlier_url = co_await objects.adopt_earlier_order(request))
      resume_url = std::move(*earlier_url);
  }
  GatedSolver solver(order_solver(*spec->acme, request, issuer), challenges_);
  std::unique_ptr<issuers::acme::NewOrderTurns> turns;
  if (account)
    turns = rate_gate_.new_order_turns(turn, account->account, account->identifiers);
  co_return co_await (*backend)->sign(
      issuers::sign_request_for(request.spec),
      {&objects, std::move(replaces), std::move(resume_url), &solver, turns.get()});
}

asio::awaitable<Status> RequestSigning::sign_now(api::CertificateRequest request, IssuerView issuer,
                                                 int32_t revision, std::string key_pem,
                                                 bool earlier) {
  const std::string key = certificate_of(request);
  Result<issuers::Issued> issued = Error(Errc::invalid_value, "not signed");
  // An order or a signer that cannot start leaves the request pending, to be
  // tried again with backoff.
  if (issuer.type == IssuerType::ACME) {
    auto ordered =
        co_await order(request, issuer, key, co_await advisor_.replaced_cert_id(key, issuer),
                       earlier, {&shard_.metrics, shard_.index, key});
    if (!ordered)
      co_return ordered.error();
    issued = std::move(*ordered);
  } else {
    auto backend = co_await signers_.get(issuer);
    if (!backend)
      co_return backend.error();
    issued = co_await (*backend)->sign(
        issuers::sign_request_for(request.spec,
                                  issuer.type == IssuerType::SelfSigned ? key_pem : std::string()),
        {});
  }
  if (!issued && issued.error().code() == std::make_error_code(std::errc::operation_canceled)) {
    // A shutdown: the request stays pending and its order resumable, for the
    // next process to continue from the Order's URL; never Failed.
    log::info("an ACME order was left to be continued", {{"certificate", key}});
    co_return Status{};
  }
  if (!issued && issuer.type == IssuerType::ACME &&
      issued.error().code() == certmill::acme::ProblemType::RateLimited) {
    // Not a failure of the request: it waits for its turn again, and the
    // CA's Retry-After, not the failure backoff, says when.
    if (auto order = request_order(issuer, request, shard_.options.cluster_resource_namespace)) {
      rate_gate_.refused(key, order->account, order->identifiers, issued.error());
      co_return Status{};
    }
  }
  auto written = co_await write_outcome(std::move(request), issued);
  if (!written)
    co_return written.error();
  // The pending entry may have been replaced while signing; keep the chain
  // only for the issuance it belongs to.
  if (Issuance* record = issuances_.find(key);
      record && record->pending && record->pending->revision == revision && issued) {
    record->pending->chain_pem = std::move(issued->chain_pem);
    record->pending->ca_pem = std::move(issued->ca_pem);
  }
  Expectation& e = issuances_.expect(key, shard_.expectation_deadline());
  e.request_key = written->metadata.namespace_ + "/" + written->metadata.name;
  e.request_version = written->metadata.resource_version;
  co_return Status{};
}

asio::awaitable<Result<api::CertificateRequest>> RequestSigning::write_outcome(
    api::CertificateRequest request, const Result<issuers::Issued>& issued) {
  for (int attempt = 0;; ++attempt) {
    if (issued)
      mark_issued(request.status, *issued, shard_.now());
    else
      mark_failed(request.status, issued.error().message(), shard_.now());
    auto written = co_await shard_.client.update_status(request);
    if (written || attempt + 1 >= kRetrySoonAttempts)
      co_return written;
    const Error& error = written.error();
    if (!k8s::is_conflict(error) && !k8s::is_retryable(error))
      co_return written;
    log::info("a CertificateRequest's outcome could not be written; trying again",
              {{"request", request.metadata.namespace_ + "/" + request.metadata.name},
               {"attempt", attempt + 1},
               {"error", error.message()}});
    if (!k8s::is_conflict(error)) {
      if (co_await shard_.reactor.clock().sleep_for(retry_soon_wait(error, attempt)))
        co_return written;  // cancelled
    }
    auto fresh = co_await shard_.client.get<api::CertificateRequest>(request.metadata.namespace_,
                                                                     request.metadata.name);
    if (!fresh)
      continue;  // the same status, sent again
    // Someone else decided it meanwhile (denied, failed, signed): theirs stands.
    if (fresh->metadata.uid != request.metadata.uid || !fresh->status.certificate.data.empty() ||
        fresh->status.failure_time)
      co_return written;
    request = std::move(*fresh);
  }
}

}  // namespace certmill::controller
