// Google Cloud DNS as a DNS-01 provider, configured as cert-manager's
// `cloudDNS` block is: `project`, `hostedZoneName` or the public managed zone
// found by dnsName, and a service account key (serviceAccountSecretRef) or,
// with ambient credentials allowed, the GCE metadata server's token. Cloud
// DNS changes a TXT set whole, so a value is added by a change that deletes
// the set as read and adds it with the value, and taken out by one that adds
// the rest; each change is waited for until "done", and the set read back,
// so that two Challenges writing one name at once both end in the set.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "core/api/issuer.hpp"
#include "solvers/dns/clouddns/access_token.hpp"
#include "solvers/dns/provider.hpp"
#include "solvers/dns/provider_api.hpp"
#include "solvers/dns/provider_context.hpp"

namespace certmill::solvers::clouddns {

inline constexpr const char* kPublicApi = "https://dns.googleapis.com/dns/v1";

class CloudDnsProvider final : public dns::DnsProvider {
 public:
  CloudDnsProvider(dns::ProviderApi api, AccessTokens tokens, std::string project,
                   std::string hosted_zone_name)
      : api_(std::move(api)),
        tokens_(std::move(tokens)),
        project_(std::move(project)),
        hosted_zone_name_(std::move(hosted_zone_name)) {}

  boost::asio::awaitable<Status> add(const dns::TxtRecord& record,
                                     std::chrono::steady_clock::time_point deadline) override;
  boost::asio::awaitable<Status> remove(const dns::TxtRecord& record,
                                        std::chrono::steady_clock::time_point deadline) override;

 private:
  boost::asio::awaitable<Status> change(const dns::TxtRecord& record, bool adding,
                                        std::chrono::steady_clock::time_point deadline);
  boost::asio::awaitable<Result<std::string>> zone_name(
      const std::string& zone, std::chrono::steady_clock::time_point deadline);
  // A call under /projects/{project}, with the token; the answer whatever
  // its status.
  boost::asio::awaitable<Result<reactor::HttpsResponse>> call(
      std::string method, std::string path, std::string body,
      std::chrono::steady_clock::time_point deadline);
  // As call, with a non-2xx answer an error in Google's words.
  boost::asio::awaitable<Result<std::string>> call_ok(
      std::string method, std::string path, const std::string& what,
      std::chrono::steady_clock::time_point deadline);

  dns::ProviderApi api_;
  AccessTokens tokens_;
  std::string project_;
  std::string hosted_zone_name_;
  std::optional<std::pair<std::string, std::string>> zone_;  // DNS name, managed zone
};

boost::asio::awaitable<Result<std::unique_ptr<dns::DnsProvider>>> make_clouddns_provider(
    const api::ACMEChallengeSolverDNS01& dns01, const dns::ProviderContext& context);

}  // namespace certmill::solvers::clouddns
