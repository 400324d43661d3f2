// The zone a record name belongs to and the zone's nameservers, asked of the
// recursive nameservers (cert-manager's FindZoneByFqdn and
// lookupNameservers): SOA questions from the name upwards until an answer
// names the zone, then its NS records and each one's addresses.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "core/result.hpp"
#include "solvers/dns/dns01_resolver.hpp"

namespace certmill::solvers::dns {

// The zone's name, normalized ("example.test").
boost::asio::awaitable<Result<std::string>> find_zone(
    Dns01Resolver& resolver, std::string fqdn, std::chrono::steady_clock::time_point deadline);

// Every address of every NS of `zone`, each with `port` (53 on the
// Internet; tests move it). An NS without an address is an error.
boost::asio::awaitable<Result<std::vector<Nameserver>>> find_authoritative_servers(
    Dns01Resolver& resolver, std::string zone, unsigned short port,
    std::chrono::steady_clock::time_point deadline);

}  // namespace certmill::solvers::dns
