// Present and CleanUp as POSTs of a ChallengePayload.
#include "solvers/dns/webhook/provider.hpp"

#include "core/http_url.hpp"
#include "solvers/dns/webhook/payload.hpp"

namespace certmill::solvers::webhook {

boost::asio::awaitable<Status> WebhookProvider::send(const dns::TxtRecord& record, bool present) {
  const ChallengeRequest request{.uid = random_uid(),
                                 .present = present,
                                 .dns_name = record.dns_name,
                                 .key = record.value,
                                 .resource_namespace = context_.resource_namespace,
                                 .resolved_fqdn = record.fqdn,
                                 .resolved_zone = record.zone,
                                 .allow_ambient_credentials = context_.ambient_credentials,
                                 .config_json = settings_.config.text};
  const std::string where = settings_.group_name + "/" + settings_.solver_name;
  auto answer = co_await context_.kube_post("/apis/" + url_escape(settings_.group_name) +
                                                "/v1alpha1/" + url_escape(settings_.solver_name),
                                            request_body(request));
  if (!answer)
    co_return answer.error().prefixed("webhook " + where + " could not be called: ");
  if (Status done = read_response(*answer, request.uid); !done)
    co_return Error(done.error().code(), "webhook " + where + ": " + done.error().message());
  co_return Status{};
}

// The API server's request deadline bounds each call (the client's timeout).
boost::asio::awaitable<Status> WebhookProvider::add(const dns::TxtRecord& record,
                                                    std::chrono::steady_clock::time_point) {
  co_return co_await send(record, true);
}

boost::asio::awaitable<Status> WebhookProvider::remove(const dns::TxtRecord& record,
                                                       std::chrono::steady_clock::time_point) {
  co_return co_await send(record, false);
}

boost::asio::awaitable<Result<std::unique_ptr<dns::DnsProvider>>> make_webhook_provider(
    const api::ACMEChallengeSolverDNS01& dns01, const dns::ProviderContext& context) {
  const api::ACMEIssuerDNS01ProviderWebhook& settings = *dns01.webhook;
  if (settings.group_name.empty() || settings.solver_name.empty())
    co_return Error(Errc::missing_field,
                    "webhook: groupName and solverName are required; they name the APIService "
                    "group and the solver the webhook serves");
  if (!context.kube_post)
    co_return Error(Errc::invalid_argument, "webhook solvers need the Kubernetes API");
  co_return std::make_unique<WebhookProvider>(settings, context);
}

}  // namespace certmill::solvers::webhook
