// A DNS-01 provider: the service that writes TXT records into a zone for
// certmill (RFC 2136 on a primary server; the cloud DNS APIs in their own
// folders). The solver finds the zone and checks propagation; a provider
// only adds and removes one value, never touching the RRset's other values
// (another Challenge's for the same name, or a person's).
#pragma once

#include <chrono>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "core/result.hpp"

namespace certmill::solvers::dns {

struct TxtRecord {
  std::string zone = {};  // the zone the record is in, e.g. "example.test"
  std::string fqdn = {};  // e.g. "_acme-challenge.www.example.test"
  std::string value = {};
  std::string dns_name = {};  // the name validated: "www.example.test", "*.example.test"
};

class DnsProvider {
 public:
  virtual ~DnsProvider() = default;
  // The error says what the provider answered ("DNS update failed. Server
  // replied: REFUSED ..."), for the Challenge's reason.
  virtual boost::asio::awaitable<Status> add(const TxtRecord& record,
                                             std::chrono::steady_clock::time_point deadline) = 0;
  virtual boost::asio::awaitable<Status> remove(const TxtRecord& record,
                                                std::chrono::steady_clock::time_point deadline) = 0;
};

}  // namespace certmill::solvers::dns
