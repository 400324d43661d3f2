// The table of DNS-01 providers, and finding the one a dns01 block names.
#include "solvers/dns/registry.hpp"

#include <array>

#include "solvers/dns/acmedns/provider.hpp"
#include "solvers/dns/azuredns/provider.hpp"
#include "solvers/dns/clouddns/provider.hpp"
#include "solvers/dns/cloudflare/provider.hpp"
#include "solvers/dns/digitalocean/provider.hpp"
#include "solvers/dns/rfc2136/provider.hpp"
#include "solvers/dns/route53/provider.hpp"
#include "solvers/dns/webhook/provider.hpp"

namespace certmill::solvers::dns {
namespace {

using Dns01 = api::ACMEChallengeSolverDNS01;

// In the order cert-manager checks them when a block sets more than one.
constexpr std::array kProviders{
    ProviderEntry{"akamai", [](const Dns01& d) { return !d.akamai.text.empty(); }, nullptr},
    ProviderEntry{"cloudDNS", [](const Dns01& d) { return d.cloud_dns.has_value(); },
                  &clouddns::make_clouddns_provider},
    ProviderEntry{"cloudflare", [](const Dns01& d) { return d.cloudflare.has_value(); },
                  &cloudflare::make_cloudflare_provider},
    ProviderEntry{"route53", [](const Dns01& d) { return d.route53.has_value(); },
                  &route53::make_route53_provider},
    ProviderEntry{"azureDNS", [](const Dns01& d) { return d.azure_dns.has_value(); },
                  &azuredns::make_azuredns_provider},
    ProviderEntry{"digitalocean", [](const Dns01& d) { return d.digitalocean.has_value(); },
                  &digitalocean::make_digitalocean_provider},
    ProviderEntry{"acmeDNS", [](const Dns01& d) { return d.acme_dns.has_value(); },
                  &acmedns::make_acmedns_provider},
    ProviderEntry{"rfc2136", [](const Dns01& d) { return d.rfc2136.has_value(); },
                  &rfc2136::make_rfc2136_provider},
    ProviderEntry{"webhook", [](const Dns01& d) { return d.webhook.has_value(); },
                  &webhook::make_webhook_provider},
};

// The fields of the providers certmill has, for the error that names one it lacks.
std::string known_fields() {
  std::string names;
  for (const ProviderEntry& known : kProviders) {
    if (known.make)
      names += (names.empty() ? "" : ", ") + std::string(known.field);
  }
  return names;
}

}  // namespace

std::span<const ProviderEntry> providers() {
  return kProviders;
}

Result<const ProviderEntry*> configured_provider(const api::ACMEChallengeSolverDNS01& dns01) {
  for (const ProviderEntry& entry : kProviders) {
    if (!entry.configured(dns01))
      continue;
    if (!entry.make)
      return Error(Errc::invalid_value, "certmill has no " + std::string(entry.field) +
                                            " DNS-01 provider yet; use one it has (" +
                                            known_fields() +
                                            ") or an HTTP-01 solver for these names");
    return &entry;
  }
  return Error(Errc::invalid_value, "the dns01 solver names no DNS provider");
}

boost::asio::awaitable<Result<std::unique_ptr<DnsProvider>>> make_provider(
    const api::ACMEChallengeSolverDNS01& dns01, const ProviderContext& context) {
  auto entry = configured_provider(dns01);
  if (!entry)
    co_return entry.error();
  co_return co_await (*entry)->make(dns01, context);
}

}  // namespace certmill::solvers::dns
