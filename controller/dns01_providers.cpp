// Which provider a dns01 solver configures, and RFC 2136's settings with its
// TSIG secret.
#include "controller/dns01_providers.hpp"

#include "solvers/dns/rfc2136/provider.hpp"

namespace certmill::controller {
namespace {

// The provider the solver configures, by its field name in the API.
std::string configured_provider(const api::ACMEChallengeSolverDNS01& dns01) {
  if (dns01.route53)
    return "route53";
  if (dns01.cloudflare)
    return "cloudflare";
  if (dns01.cloud_dns)
    return "cloudDNS";
  if (dns01.azure_dns)
    return "azureDNS";
  if (dns01.acme_dns)
    return "acmeDNS";
  if (dns01.digitalocean)
    return "digitalocean";
  if (!dns01.akamai.text.empty())
    return "akamai";
  if (dns01.webhook)
    return "webhook";
  return {};
}

}  // namespace

Status check_dns01_provider(const api::ACMEChallengeSolverDNS01& dns01) {
  if (dns01.rfc2136)
    return Status{};
  const std::string provider = configured_provider(dns01);
  if (provider.empty())
    return Error(Errc::invalid_value, "the dns01 solver names no DNS provider");
  return Error(Errc::invalid_value, "certmill has no " + provider +
                                        " DNS-01 provider yet; rfc2136 is the one it has: use "
                                        "an rfc2136 solver or an HTTP-01 one for these names");
}

asio::awaitable<Result<std::unique_ptr<solvers::dns::DnsProvider>>> dns_provider_for(
    const api::ACMEChallengeSolverDNS01& dns01, asio::any_io_executor executor,
    const SecretReader& read_secret) {
  if (Status usable = check_dns01_provider(dns01); !usable)
    co_return usable.error();
  const api::ACMEIssuerDNS01ProviderRFC2136& rfc2136 = *dns01.rfc2136;
  solvers::rfc2136::Settings settings{
      rfc2136.nameserver, rfc2136.tsig_key_name, rfc2136.tsig_algorithm, {}, rfc2136.protocol};
  if (rfc2136.tsig_secret_secret_ref && !rfc2136.tsig_secret_secret_ref->name.empty()) {
    auto secret = co_await read_secret(*rfc2136.tsig_secret_secret_ref);
    if (!secret)
      co_return Error(secret.error().code(),
                      "rfc2136.tsigSecretSecretRef: " + secret.error().message());
    settings.tsig_secret = std::move(*secret);
  }
  // Checked here so that a bad setting fails before anything is sent.
  if (auto server = solvers::rfc2136::parse_settings(settings); !server)
    co_return server.error();
  co_return std::make_unique<solvers::rfc2136::Rfc2136Provider>(std::move(executor),
                                                                std::move(settings));
}

}  // namespace certmill::controller
