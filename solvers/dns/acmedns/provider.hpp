// acme-dns as a DNS-01 provider, configured as cert-manager's `acmeDNS`
// block is: the server's URL (host) and the accounts registered with it
// (accountSecretRef). Each account owns one subdomain, which the user's
// _acme-challenge CNAME points at; a value is written there by /update.
// acme-dns keeps a subdomain's last two values and has no delete, so
// removing does nothing: the next update pushes a stale value out, as
// cert-manager leaves it.
#pragma once

#include <memory>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "core/api/issuer.hpp"
#include "solvers/dns/acmedns/account.hpp"
#include "solvers/dns/provider.hpp"
#include "solvers/dns/provider_api.hpp"
#include "solvers/dns/provider_context.hpp"

namespace certmill::solvers::acmedns {

class AcmeDnsProvider final : public dns::DnsProvider {
 public:
  AcmeDnsProvider(dns::ProviderApi api, Accounts accounts)
      : api_(std::move(api)), accounts_(std::move(accounts)) {}

  boost::asio::awaitable<Status> add(const dns::TxtRecord& record,
                                     std::chrono::steady_clock::time_point deadline) override;
  boost::asio::awaitable<Status> remove(const dns::TxtRecord& record,
                                        std::chrono::steady_clock::time_point deadline) override;

 private:
  dns::ProviderApi api_;
  Accounts accounts_;  // secret: never logged
};

boost::asio::awaitable<Result<std::unique_ptr<dns::DnsProvider>>> make_acmedns_provider(
    const api::ACMEChallengeSolverDNS01& dns01, const dns::ProviderContext& context);

}  // namespace certmill::solvers::acmedns
