// A cert-manager DNS-01 webhook as a provider: the `webhook` block names the
// APIService's group and the solver; each add and remove is one
// ChallengePayload POSTed to /apis/<groupName>/v1alpha1/<solverName> through
// the Kubernetes API server, which forwards it to the webhook, exactly as
// cert-manager calls it, so every existing webhook works unchanged.
#pragma once

#include <memory>

#include <boost/asio/awaitable.hpp>

#include "core/api/issuer.hpp"
#include "solvers/dns/provider.hpp"
#include "solvers/dns/provider_context.hpp"

namespace certmill::solvers::webhook {

class WebhookProvider final : public dns::DnsProvider {
 public:
  WebhookProvider(api::ACMEIssuerDNS01ProviderWebhook settings, dns::ProviderContext context)
      : settings_(std::move(settings)), context_(std::move(context)) {}

  boost::asio::awaitable<Status> add(const dns::TxtRecord& record,
                                     std::chrono::steady_clock::time_point deadline) override;
  boost::asio::awaitable<Status> remove(const dns::TxtRecord& record,
                                        std::chrono::steady_clock::time_point deadline) override;

 private:
  boost::asio::awaitable<Status> send(const dns::TxtRecord& record, bool present);

  api::ACMEIssuerDNS01ProviderWebhook settings_;
  dns::ProviderContext context_;
};

boost::asio::awaitable<Result<std::unique_ptr<dns::DnsProvider>>> make_webhook_provider(
    const api::ACMEChallengeSolverDNS01& dns01, const dns::ProviderContext& context);

}  // namespace certmill::solvers::webhook
