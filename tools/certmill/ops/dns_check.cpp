// The DNS pre-flight's questions, one coroutine on a loop of its own.
#include "tools/certmill/ops/dns_check.hpp"

#include <algorithm>
#include <tuple>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include "solvers/dns/dns01_resolver.hpp"
#include "solvers/dns/dns_query.hpp"
#include "solvers/dns/propagation.hpp"
#include "solvers/dns/zone_finder.hpp"
#include "tools/certmill/ops/caa.hpp"

namespace certmill::ops {

namespace {

namespace asio = boost::asio;
namespace dns = solvers::dns;
using Deadline = std::chrono::steady_clock::time_point;

CheckItem failed(std::string title, std::string why) {
  return {.ok = false, .title = std::move(title), .details = {std::move(why)}};
}

// RFC 8659 §3: the first name from `name` up with CAA records holds the
// relevant RRset. A lookup that fails is a failure: a CA refuses to issue
// when it cannot tell (RFC 8659 §3, SERVFAIL).
asio::awaitable<CheckItem> caa_check(dns::Dns01Resolver& resolver, const DnsCheckOptions& o,
                                     Deadline deadline) {
  const bool wildcard = o.name.starts_with("*.");
  const std::string who =
      std::string(wildcard ? "issuewild/issue" : "issue") + " for " + o.ca_domain;
  auto channel = resolver.recursive();
  if (!channel)
    co_return failed("CAA", channel.error().message());
  for (const std::string& name : caa_search_names(o.name)) {
    auto answer = co_await dns::ask(**channel, name, dns::RecordType::caa, true, deadline);
    if (!answer)
      co_return failed("CAA lookup of " + name, answer.error().message());
    if (answer->rcode != 0 && answer->rcode != 3)  // NXDOMAIN: climb on
      co_return failed("CAA lookup of " + name,
                       (*channel)->describe() + " answered " + dns::rcode_name(answer->rcode) +
                           ": a CA does not issue when its CAA lookup fails");
    std::vector<CaaRecord> rrset;
    std::vector<std::string> details;
    for (const dns::Record& r : answer->answers) {
      if (r.type != static_cast<std::uint16_t>(dns::RecordType::caa))
        continue;
      auto record = parse_caa(r.data);
      if (!record)
        co_return failed("CAA at " + name, r.name + ": " + record.error().message());
      details.push_back(r.name + " CAA " + format_caa(*record));
      rrset.push_back(std::move(*record));
    }
    if (rrset.empty())
      continue;
    const CaaVerdict verdict = caa_allows(rrset, o.ca_domain, wildcard);
    details.push_back(verdict.why);
    co_return CheckItem{
        .ok = verdict.allowed,
        .title = "CAA at " + name + (verdict.allowed ? " allows " : " forbids ") + who,
        .details = std::move(details)};
  }
  co_return CheckItem{.ok = true,
                      .title = "CAA allows " + who,
                      .details = {"no CAA records at " + caa_search_names(o.name).front() +
                                  " or above it: every CA may issue"}};
}

// One authoritative server's SOA serial and its answer for the challenge.
asio::awaitable<ServerAnswer> ask_server(dns::Dns01Resolver& resolver,
                                         const solvers::Nameserver& server, const std::string& zone,
                                         const std::string& challenge, Deadline deadline) {
  ServerAnswer out{.server = solvers::format_nameservers({server}),
                   .serial = std::nullopt,
                   .challenge = {},
                   .error = {}};
  auto channel = resolver.authoritative(server);
  if (!channel) {
    out.error = channel.error().message();
    co_return out;
  }
  auto soa = co_await dns::ask(**channel, zone, dns::RecordType::soa, false, deadline);
  auto txt = co_await dns::ask(**channel, challenge, dns::RecordType::txt, false, deadline);
  if (!soa || !txt) {
    out.error = (!soa ? soa.error() : txt.error()).message();
    co_return out;
  }
  if (!soa->authoritative) {
    out.error = "answers for " + zone + " without authority (a lame server)";
    co_return out;
  }
  for (const dns::Record& r : soa->answers) {
    if (r.type == static_cast<std::uint16_t>(dns::RecordType::soa) && r.name == zone)
      out.serial = r.soa_serial;
  }
  out.challenge = answer_lines(*txt);
  co_return out;
}

asio::awaitable<std::vector<CheckItem>> checks(dns::Dns01Resolver& resolver,
                                               const DnsCheckOptions& o, Deadline deadline) {
  std::vector<CheckItem> items;
  items.push_back(co_await caa_check(resolver, o, deadline));
  const std::string base = caa_search_names(o.name).front();
  const std::string challenge = "_acme-challenge." + base;
  auto zone = co_await dns::find_zone(resolver, base, deadline);
  if (!zone) {
    items.push_back(failed("the zone of " + base, zone.error().message()));
    co_return items;
  }
  auto servers =
      co_await dns::find_authoritative_servers(resolver, *zone, o.authoritative_port, deadline);
  if (!servers) {
    items.push_back(
        failed("the authoritative servers of zone " + *zone, servers.error().message()));
    co_return items;
  }
  // In a stable order: the NS records come in any.
  std::sort(servers->begin(), servers->end(), [](const auto& a, const auto& b) {
    return std::tie(a.address, a.port) < std::tie(b.address, b.port);
  });
  items.push_back({.ok = true,
                   .title = base + " is in zone " + *zone + ", served by " +
                            solvers::format_nameservers(*servers),
                   .details = {}});
  auto end = co_await dns::follow_cnames(resolver, challenge, deadline);
  if (!end)
    items.push_back(failed("the CNAME chain of " + challenge, end.error().message()));
  else if (*end == challenge)
    items.push_back({.ok = true,
                     .title = challenge + " is not delegated: its TXT record goes in zone " + *zone,
                     .details = {}});
  else
    items.push_back({.ok = true,
                     .title = challenge + " is delegated by CNAME to " + *end,
                     .details = {"the DNS-01 TXT record goes there (cnameStrategy: Follow)"}});
  std::vector<ServerAnswer> answers;
  for (const solvers::Nameserver& server : *servers)
    answers.push_back(co_await ask_server(resolver, server, *zone, challenge, deadline));
  items.push_back(agreement_item(answers, challenge));
  co_return items;
}

}  // namespace

std::vector<CheckItem> run_dns_checks(const DnsCheckOptions& options) {
  asio::io_context io;
  std::vector<CheckItem> items;
  const Deadline deadline = std::chrono::steady_clock::now() + options.timeout;
  // The resolver is made and destroyed in the coroutine, on the loop's
  // thread, so that its channels' sockets are closed when run() returns.
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        auto resolver = std::make_unique<dns::Dns01Resolver>(
            co_await asio::this_coro::executor,
            dns::Dns01ResolverOptions{.recursive_nameservers = options.recursive_nameservers,
                                      .try_timeout = std::chrono::milliseconds(2000),
                                      .tries = 2,
                                      .max_in_flight = solvers::AresChannelOptions{}.max_in_flight,
                                      .on_answer = {}});
        items = co_await checks(*resolver, options, deadline);
        resolver.reset();
      },
      [](std::exception_ptr e) {
        if (e)
          std::rethrow_exception(e);
      });
  io.run();
  return items;
}

}  // namespace certmill::ops
