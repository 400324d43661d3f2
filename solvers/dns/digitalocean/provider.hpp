// DigitalOcean as a DNS-01 provider, configured as cert-manager's
// `digitalocean` block is: a personal access token (tokenSecretRef). The
// domain is the zone's name; a value is added as a TXT record of its own and
// removed by its record id, so other values of the name are never touched.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "core/api/issuer.hpp"
#include "solvers/dns/provider.hpp"
#include "solvers/dns/provider_api.hpp"
#include "solvers/dns/provider_context.hpp"

namespace certmill::solvers::digitalocean {

inline constexpr const char* kPublicApi = "https://api.digitalocean.com/v2";

class DigitalOceanProvider final : public dns::DnsProvider {
 public:
  DigitalOceanProvider(dns::ProviderApi api, std::string token)
      : api_(std::move(api)), token_(std::move(token)) {}

  boost::asio::awaitable<Status> add(const dns::TxtRecord& record,
                                     std::chrono::steady_clock::time_point deadline) override;
  boost::asio::awaitable<Status> remove(const dns::TxtRecord& record,
                                        std::chrono::steady_clock::time_point deadline) override;

 private:
  // The ids of the TXT records of `record.fqdn` whose value is `record.value`.
  boost::asio::awaitable<Result<std::vector<std::string>>> record_ids(
      const dns::TxtRecord& record, std::chrono::steady_clock::time_point deadline);
  boost::asio::awaitable<Result<reactor::HttpsResponse>> call(
      std::string method, std::string path, std::string body,
      std::chrono::steady_clock::time_point deadline);

  dns::ProviderApi api_;
  std::string token_;  // secret: never logged
};

boost::asio::awaitable<Result<std::unique_ptr<dns::DnsProvider>>> make_digitalocean_provider(
    const api::ACMEChallengeSolverDNS01& dns01, const dns::ProviderContext& context);

}  // namespace certmill::solvers::digitalocean
