// Cloudflare as a DNS-01 provider, configured as cert-manager's `cloudflare`
// block is: an API token (apiTokenSecretRef), or the global API key
// (apiKeySecretRef) with the account's email. The zone's id is looked up by
// name once; a value is added as a TXT record of its own and removed by its
// record id, so other values of the name are never touched.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "core/api/issuer.hpp"
#include "reactor/http_header.hpp"
#include "solvers/dns/provider.hpp"
#include "solvers/dns/provider_api.hpp"
#include "solvers/dns/provider_context.hpp"

namespace certmill::solvers::cloudflare {

inline constexpr const char* kPublicApi = "https://api.cloudflare.com/client/v4";

class CloudflareProvider final : public dns::DnsProvider {
 public:
  CloudflareProvider(dns::ProviderApi api, std::vector<reactor::HttpHeader> auth)
      : api_(std::move(api)), auth_(std::move(auth)) {}

  boost::asio::awaitable<Status> add(const dns::TxtRecord& record,
                                     std::chrono::steady_clock::time_point deadline) override;
  boost::asio::awaitable<Status> remove(const dns::TxtRecord& record,
                                        std::chrono::steady_clock::time_point deadline) override;

 private:
  boost::asio::awaitable<Result<std::string>> zone_id(
      const std::string& zone, std::chrono::steady_clock::time_point deadline);
  // The records of `fqdn` whose value is `value`.
  boost::asio::awaitable<Result<std::vector<std::string>>> record_ids(
      const std::string& zone_id, const dns::TxtRecord& record,
      std::chrono::steady_clock::time_point deadline);
  boost::asio::awaitable<Result<reactor::HttpsResponse>> call(
      std::string method, std::string path, std::string body,
      std::chrono::steady_clock::time_point deadline);

  dns::ProviderApi api_;
  std::vector<reactor::HttpHeader> auth_;                    // secret: never logged
  std::optional<std::pair<std::string, std::string>> zone_;  // name, id
};

boost::asio::awaitable<Result<std::unique_ptr<dns::DnsProvider>>> make_cloudflare_provider(
    const api::ACMEChallengeSolverDNS01& dns01, const dns::ProviderContext& context);

}  // namespace certmill::solvers::cloudflare
