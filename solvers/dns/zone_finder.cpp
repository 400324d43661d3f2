// SOA walk, NS lookup and NS addresses, one question at a time through the
// shard's recursive channel; the decisions are in propagation_rules.
#include "solvers/dns/zone_finder.hpp"

#include "solvers/dns/dns_query.hpp"
#include "solvers/dns/propagation_rules.hpp"

namespace certmill::solvers::dns {

boost::asio::awaitable<Result<std::string>> find_zone(
    Dns01Resolver& resolver, std::string fqdn, std::chrono::steady_clock::time_point deadline) {
  auto channel = resolver.recursive();
  if (!channel)
    co_return channel.error();
  for (const std::string& name : soa_walk_candidates(fqdn)) {
    auto answer = co_await ask(**channel, name, RecordType::soa, true, deadline);
    if (!answer)
      co_return answer.error();
    auto step = soa_step(*answer, name, (*channel)->describe());
    if (!step)
      co_return step.error();
    if (step->zone)
      co_return std::move(*step->zone);
  }
  co_return Error(std::make_error_code(std::errc::no_such_device_or_address),
                  "could not find the zone of " + fqdn + ": no SOA record above it (asked " +
                      (*channel)->describe() + ")");
}

boost::asio::awaitable<Result<std::vector<Nameserver>>> find_authoritative_servers(
    Dns01Resolver& resolver, std::string zone, unsigned short port,
    std::chrono::steady_clock::time_point deadline) {
  auto channel = resolver.recursive();
  if (!channel)
    co_return channel.error();
  auto answer = co_await ask(**channel, zone, RecordType::ns, true, deadline);
  if (!answer)
    co_return answer.error();
  const std::vector<std::string> names = ns_names(*answer, zone);
  if (names.empty())
    co_return Error(std::make_error_code(std::errc::no_such_device_or_address),
                    "could not determine the authoritative nameservers of zone " + zone + " (" +
                        (*channel)->describe() + " answered " + rcode_name(answer->rcode) +
                        " without NS records)");
  std::vector<Nameserver> servers;
  for (const std::string& name : names) {
    std::size_t found = 0;
    for (const RecordType type : {RecordType::a, RecordType::aaaa}) {
      auto addresses = co_await ask(**channel, name, type, true, deadline);
      if (!addresses)
        co_return addresses.error();
      for (std::string& address : addresses_of(*addresses, name)) {
        servers.push_back({std::move(address), port});
        ++found;
      }
    }
    if (found == 0)
      co_return Error(std::make_error_code(std::errc::no_such_device_or_address),
                      "nameserver " + name + " of zone " + zone + " has no address (asked " +
                          (*channel)->describe() + ")");
  }
  co_return servers;
}

}  // namespace certmill::solvers::dns
