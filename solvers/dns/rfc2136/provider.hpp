// RFC 2136 as a DNS-01 provider: each add or remove is one signed UPDATE to
// the Issuer's configured nameserver (update.hpp).
#pragma once

#include <boost/asio/any_io_executor.hpp>

#include "solvers/dns/provider.hpp"
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

}  // namespace certmill::solvers::rfc2136
