// The check's steps in cert-manager's order: follow CNAMEs (when asked),
// then ask the recursive servers, or find the zone and its servers and ask
// each. Servers are asked one after another: the first that lacks the value
// decides, and the check is retried whole later anyway.
#include "solvers/dns/propagation.hpp"

#include "solvers/dns/dns_query.hpp"
#include "solvers/dns/propagation_rules.hpp"
#include "solvers/dns/zone_finder.hpp"

namespace certmill::solvers::dns {

boost::asio::awaitable<Result<std::string>> follow_cnames(
    Dns01Resolver& resolver, std::string fqdn, std::chrono::steady_clock::time_point deadline) {
  auto recursive = resolver.recursive();
  if (!recursive)
    co_return recursive.error();
  std::vector<std::string> chain{normalize_name(fqdn)};
  while (true) {
    auto answer = co_await ask(**recursive, chain.back(), RecordType::cname, true, deadline);
    if (!answer)
      co_return answer.error();
    const auto target = answer->rcode == 0 ? cname_target(*answer, chain.back()) : std::nullopt;
    if (!target)
      co_return chain.back();
    if (Status linked = extend_cname_chain(chain, *target); !linked)
      co_return linked.error();
  }
}

boost::asio::awaitable<Status> check_dns01_propagation(
    Dns01Resolver& resolver, std::string fqdn, std::string expected_value,
    PropagationOptions options, std::chrono::steady_clock::time_point deadline) {
  fqdn = normalize_name(fqdn);
  auto recursive = resolver.recursive();
  if (!recursive)
    co_return recursive.error();
  if (options.follow_cnames) {
    auto end = co_await follow_cnames(resolver, fqdn, deadline);
    if (!end)
      co_return end.error();
    fqdn = std::move(*end);
  }
  if (options.recursive_only) {
    auto answer = co_await ask(**recursive, fqdn, RecordType::txt, true, deadline);
    if (!answer)
      co_return answer.error();
    co_return txt_verdict(*answer, (*recursive)->describe(), fqdn, expected_value, false);
  }
  auto zone = co_await find_zone(resolver, fqdn, deadline);
  if (!zone)
    co_return zone.error();
  auto servers =
      co_await find_authoritative_servers(resolver, *zone, options.authoritative_port, deadline);
  if (!servers)
    co_return servers.error();
  for (const Nameserver& server : *servers) {
    auto channel = resolver.authoritative(server);
    if (!channel)
      co_return channel.error();
    auto answer = co_await ask(**channel, fqdn, RecordType::txt, false, deadline);
    if (!answer)
      co_return answer.error();
    if (Status verdict = txt_verdict(*answer, (*channel)->describe(), fqdn, expected_value, true);
        !verdict)
      co_return verdict;
  }
  co_return Status{};
}

}  // namespace certmill::solvers::dns
