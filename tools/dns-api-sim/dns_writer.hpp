// Puts the emulated API's record changes into a real DNS server (BIND) by
// TSIG-signed RFC 2136 updates, so that certmill's propagation check and the
// CA's validation see the records the API holds. Without a server the API
// keeps its records to itself.
#pragma once

#include <chrono>
#include <optional>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "core/result.hpp"
#include "solvers/dns/rfc2136/settings.hpp"
#include "tools/dns-api-sim/zones.hpp"

namespace certmill::dnssim {

class DnsWriter {
 public:
  DnsWriter(boost::asio::any_io_executor executor, std::optional<solvers::rfc2136::Settings> server)
      : executor_(std::move(executor)), server_(std::move(server)) {}

  boost::asio::awaitable<Status> apply(const Change& change);

 private:
  boost::asio::any_io_executor executor_;
  std::optional<solvers::rfc2136::Settings> server_;
};

}  // namespace certmill::dnssim
