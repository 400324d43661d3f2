// Route53 as a DNS-01 provider, configured as cert-manager's `route53` block
// is: keys from Secrets or the environment, or a web identity, and `role`
// assumed through STS (credentials.hpp); `hostedZoneID` or the public zone
// found by name. Route53 changes a TXT set whole, so a value is added by an UPSERT of the set with
// it and taken out by an UPSERT of the rest (a DELETE of the set when none is
// left); each change is waited for until INSYNC, and read back, so that two
// Challenges writing one name at once both end in the set.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "core/api/issuer.hpp"
#include "solvers/dns/provider.hpp"
#include "solvers/dns/provider_api.hpp"
#include "solvers/dns/provider_context.hpp"
#include "solvers/dns/route53/credentials.hpp"
#include "solvers/dns/route53/sigv4.hpp"

namespace certmill::solvers::route53 {

inline constexpr const char* kPublicApi = "https://route53.amazonaws.com";

class Route53Provider final : public dns::DnsProvider {
 public:
  Route53Provider(dns::ProviderApi route53, dns::ProviderApi sts,
                  api::ACMEIssuerDNS01ProviderRoute53 settings, Identity identity)
      : route53_(std::move(route53)),
        sts_(std::move(sts)),
        settings_(std::move(settings)),
        identity_(std::move(identity)) {}

  boost::asio::awaitable<Status> add(const dns::TxtRecord& record,
                                     std::chrono::steady_clock::time_point deadline) override;
  boost::asio::awaitable<Status> remove(const dns::TxtRecord& record,
                                        std::chrono::steady_clock::time_point deadline) override;

 private:
  boost::asio::awaitable<Status> change(const dns::TxtRecord& record, bool adding,
                                        std::chrono::steady_clock::time_point deadline);
  boost::asio::awaitable<Result<Credentials>> credentials(
      std::chrono::steady_clock::time_point deadline);
  boost::asio::awaitable<Result<std::string>> zone_id(
      const std::string& zone, std::chrono::steady_clock::time_point deadline);
  // A signed Route53 call; a non-2xx answer is an error in AWS's words.
  boost::asio::awaitable<Result<std::string>> call(std::string method, std::string path,
                                                   std::string body, const std::string& what,
                                                   std::chrono::steady_clock::time_point deadline);

  dns::ProviderApi route53_;
  dns::ProviderApi sts_;
  api::ACMEIssuerDNS01ProviderRoute53 settings_;
  Identity identity_;  // secret: never logged
  // The keys requests are signed with, and until when (temporary ones).
  std::optional<Credentials> current_;
  std::optional<Time> expires_;
  std::optional<std::pair<std::string, std::string>> zone_;  // name, id
};

boost::asio::awaitable<Result<std::unique_ptr<dns::DnsProvider>>> make_route53_provider(
    const api::ACMEChallengeSolverDNS01& dns01, const dns::ProviderContext& context);

}  // namespace certmill::solvers::route53
