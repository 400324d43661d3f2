// Azure DNS as a DNS-01 provider, configured as cert-manager's `azureDNS`
// block is: a service principal's secret, or a managed or workload identity
// (credentials.hpp), in the block's subscription and resource group, in the
// zone `hostedZoneName` or the one the solver found. Azure writes a TXT
// record set whole, so a value is added by a PUT of the set with it and
// taken out by a PUT of the rest (a DELETE when none is left); each write
// carries the ETag of the set it was computed from (If-Match, or
// If-None-Match: * for a new set), and a set another writer changed in
// between (412) is read again and the write retried.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "core/api/issuer.hpp"
#include "solvers/dns/azuredns/answer.hpp"
#include "solvers/dns/azuredns/credentials.hpp"
#include "solvers/dns/provider.hpp"
#include "solvers/dns/provider_api.hpp"
#include "solvers/dns/provider_context.hpp"

namespace certmill::solvers::azuredns {

class AzureDnsProvider final : public dns::DnsProvider {
 public:
  AzureDnsProvider(dns::ProviderApi arm, AccessTokens tokens,
                   api::ACMEIssuerDNS01ProviderAzureDNS settings)
      : arm_(std::move(arm)), tokens_(std::move(tokens)), settings_(std::move(settings)) {}

  boost::asio::awaitable<Status> add(const dns::TxtRecord& record,
                                     std::chrono::steady_clock::time_point deadline) override;
  boost::asio::awaitable<Status> remove(const dns::TxtRecord& record,
                                        std::chrono::steady_clock::time_point deadline) override;

 private:
  boost::asio::awaitable<Status> change(const dns::TxtRecord& record, bool adding,
                                        std::chrono::steady_clock::time_point deadline);
  // The set as it is; none when the name has no TXT set.
  boost::asio::awaitable<Result<std::optional<TxtSet>>> read(
      const std::string& path, const std::string& fqdn,
      std::chrono::steady_clock::time_point deadline);
  boost::asio::awaitable<Result<reactor::HttpsResponse>> call(
      reactor::HttpsRequest request, std::chrono::steady_clock::time_point deadline);

  dns::ProviderApi arm_;
  AccessTokens tokens_;
  api::ACMEIssuerDNS01ProviderAzureDNS settings_;
};

boost::asio::awaitable<Result<std::unique_ptr<dns::DnsProvider>>> make_azuredns_provider(
    const api::ACMEChallengeSolverDNS01& dns01, const dns::ProviderContext& context);

}  // namespace certmill::solvers::azuredns
