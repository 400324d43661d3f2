// RFC 2136 as a DNS-01 provider: each add or remove is one signed UPDATE to
// the Issuer's configured nameserver (update.hpp).
#pragma once

#include <memory>

#include <boost/asio/any_io_executor.hpp>

#include "core/api/issuer.hpp"
#include "solvers/dns/provider.hpp"
#include "solvers/dns/provider_context.hpp"
#include "solvers/dns/rfc2136/settings.hpp"

namespace certmill::solvers::rfc2136 {

class Rfc2136Provider final : public dns::DnsProvider {
 public:
  Rfc2136Provider(boost::asio::any_io_executor executor, Settings settings)
      : executor_(std::move(executor)), settings_(std::move(settings)) {}

  boost::asio::awaitable<Status> add(const dns::TxtRecord& record,
                                     std::chrono::steady_clock::time_point deadline) override;
  boost::asio::awaitable<Status> remove(const dns::TxtRecord& record,
                                        std::chrono::steady_clock::time_point deadline) override;

 private:
  boost::asio::any_io_executor executor_;
  Settings settings_;
};

// The provider of a dns01 block's rfc2136 settings, with its TSIG secret read;
// a setting that cannot work fails here, before anything is sent.
boost::asio::awaitable<Result<std::unique_ptr<dns::DnsProvider>>> make_rfc2136_provider(
    const api::ACMEChallengeSolverDNS01& dns01, const dns::ProviderContext& context);

}  // namespace certmill::solvers::rfc2136
