// dns-api-sim: a cloud DNS provider's API on loopback, for certmill's
// DNS-01 tests. It serves one provider's paths (--provider), accepts only the
// credentials it was given, keeps zones and TXT records as the provider does
// and writes each change into a real DNS server by RFC 2136, so that the
// propagation check and the CA see the records. Tests ask it for failures
// and read its records through /_sim/. Prints its URL once ready; stops on
// SIGTERM.
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "core/log.hpp"
#include "reactor/http_listener.hpp"
#include "reactor/log_sink.hpp"
#include "reactor/reactor.hpp"
#include "tools/cli/flags.hpp"
#include "tools/cli/serve.hpp"
#include "tools/dns-api-sim/acmedns.hpp"
#include "tools/dns-api-sim/azuredns.hpp"
#include "tools/dns-api-sim/clouddns.hpp"
#include "tools/dns-api-sim/cloudflare.hpp"
#include "tools/dns-api-sim/digitalocean.hpp"
#include "tools/dns-api-sim/faults.hpp"
#include "tools/dns-api-sim/route53.hpp"
#include "tools/dns-api-sim/sim.hpp"

namespace asio = boost::asio;
namespace json = boost::json;
using namespace certmill;
using namespace certmill::dnssim;

namespace {

int fail(const std::string& message) {
  std::fprintf(stderr, "dns-api-sim: %s\n", message.c_str());
  return 2;
}

// A provider's front: its API, and its words for a failure a test asks for.
struct FrontEntry {
  Front serve;
  reactor::ServerResponse (*failure)(unsigned status);
};

const std::map<std::string, FrontEntry>& fronts() {
  static const std::map<std::string, FrontEntry> known{
      {"acme-dns", {&acmedns, &acmedns_failure}},
      {"azuredns", {&azuredns, &azuredns_failure}},
      {"cloudflare", {&cloudflare, &cloudflare_failure}},
      {"clouddns", {&clouddns, &clouddns_failure}},
      {"digitalocean", {&digitalocean, &digitalocean_failure}},
      {"route53", {&route53, &route53_failure}}};
  return known;
}

// What the tests see and steer: the records, the requests served, faults.
struct Management {
  Faults faults;
  std::map<std::string, int> served;  // "METHOD status" -> count
};

reactor::ServerResponse manage(const reactor::ServerRequest& request, Sim& sim,
                               Management& management) {
  const Target target = split_target(request.target);
  if (target.path == "/_sim/records" && request.method == "GET") {
    json::array out;
    for (const TxtEntry& entry : sim.zones.all()) {
      const Zone* zone = sim.zones.zone_by_id(entry.zone_id);
      out.push_back(json::object{{"zone", zone ? zone->name : ""},
                                 {"name", entry.name},
                                 {"value", entry.value},
                                 {"ttl", entry.ttl}});
    }
    return json_answer(200, json::serialize(out));
  }
  if (target.path == "/_sim/stats" && request.method == "GET") {
    json::object out;
    for (const auto& [key, count] : management.served)
      out[key] = count;
    return json_answer(200, json::serialize(out));
  }
  if (target.path == "/_sim/fault" && request.method == "POST") {
    json::error_code ec;
    const json::value body = json::parse(request.body, ec);
    const json::object* fields = body.if_object();
    if (ec || !fields)
      return json_answer(400, R"({"error":"the body is not a JSON object"})");
    Fault fault;
    if (const auto* status = fields->if_contains("status"); status && status->is_int64())
      fault.status = static_cast<unsigned>(status->as_int64());
    if (const auto* count = fields->if_contains("count"); count && count->is_int64())
      fault.count = static_cast<int>(count->as_int64());
    if (const auto* method = fields->if_contains("method"); method && method->is_string())
      fault.method = std::string(method->as_string());
    if (const auto* prefix = fields->if_contains("pathPrefix"); prefix && prefix->is_string())
      fault.path_prefix = std::string(prefix->as_string());
    if (const auto* after = fields->if_contains("retryAfter"); after && after->is_int64())
      fault.retry_after = static_cast<int>(after->as_int64());
    if (const auto* after = fields->if_contains("after"); after && after->is_int64())
      fault.after = static_cast<int>(after->as_int64());
    management.faults.add(std::move(fault));
    return json_answer(200, "{}");
  }
  return json_answer(404, R"({"error":"no such management path"})");
}

// A fault in the provider's words, with Retry-After when the test gave one.
reactor::ServerResponse fault_answer(const FrontEntry& front, const Fault& fault) {
  reactor::ServerResponse out = front.failure(fault.status);
  if (fault.retry_after >= 0)
    out.headers.push_back({"Retry-After", std::to_string(fault.retry_after)});
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string provider;
  std::string listen = "127.0.0.1:0";
  std::vector<std::string> zones;
  std::vector<std::string> credentials;
  std::string dns_server;
  std::string tsig_key_name;
  std::string tsig_algorithm = "HMACSHA256";
  std::string tsig_secret;
  std::string log_level = "info";
  cli::FlagSet flags("dns-api-sim",
                     "A cloud DNS provider's API on loopback for certmill's DNS-01 tests: the\n"
                     "provider's paths, authentication and errors, with zones and TXT records\n"
                     "kept in memory and written into a DNS server by RFC 2136 (TSIG), so that\n"
                     "resolvers see them. Management: GET /_sim/records, GET /_sim/stats,\n"
                     "POST /_sim/fault {\"status\", \"count\", \"method\", \"pathPrefix\",\n"
                     "\"retryAfter\", \"after\"}.");
  std::vector<std::string> names;
  for (const auto& [name, front] : fronts())
    names.push_back(name);
  flags.add_choice("provider", &provider, names, "the provider whose API to serve");
  flags.add("listen-address", &listen, "host:port to serve plain HTTP on; port 0 picks one");
  flags.add("zone", &zones, "a zone the account holds, e.g. example.test");
  flags.add("credential", &credentials,
            "a credential the API accepts, in the provider's form (cloudflare: an API "
            "token, or EMAIL:KEY; clouddns: CLIENT_EMAIL=PATH_TO_PUBLIC_KEY_PEM; "
            "route53: ACCESS_KEY_ID:SECRET; digitalocean: a token; "
            "acme-dns: USERNAME:KEY:SUBDOMAIN; azuredns: TENANT:CLIENT_ID:SECRET)");
  flags.add("dns-server", &dns_server,
            "host:port of the DNS server to write records into (none: kept in memory)");
  flags.add("tsig-key-name", &tsig_key_name, "TSIG key that signs the updates");
  flags.add("tsig-algorithm", &tsig_algorithm, "the key's algorithm, as cert-manager names it");
  flags.add("tsig-secret", &tsig_secret, "the key's secret, base64");
  flags.add_choice("log-level", &log_level, {"debug", "info", "warn", "error"},
                   "least severe log level to write (debug logs every request)");
  std::vector<std::string> args(argv + 1, argv + argc);
  auto parsed = flags.parse(args);
  if (!parsed)
    return fail(parsed.error().message());
  if (parsed->help) {
    std::fputs(flags.usage().c_str(), stdout);
    return 0;
  }
  if (provider.empty() || zones.empty())
    return fail("--provider and --zone are required; run 'dns-api-sim --help' for the flags");
  reactor::log_to_stderr();
  log::configure(log_level == "debug" ? log::Level::debug : log::Level::info, log::Format::text);

  std::optional<solvers::rfc2136::Settings> server;
  if (!dns_server.empty()) {
    server =
        solvers::rfc2136::Settings{dns_server, tsig_key_name, tsig_algorithm, tsig_secret, "TCP"};
    if (auto usable = solvers::rfc2136::parse_settings(*server); !usable)
      return fail("--dns-server: " + usable.error().message());
  }
  reactor::Reactor reactor(1);
  reactor::Shard& shard = reactor.shard(0);
  Sim sim{ZoneStore(zones), DnsWriter(shard.executor(), server), credentials};
  Management management;
  const FrontEntry& front = fronts().at(provider);
  auto listener = reactor::HttpListener::listen(
      shard.executor(), listen, {.flag = "--listen-address", .body_limit = 1u << 20},
      [&](reactor::ServerRequest& request, reactor::Responder& responder) -> asio::awaitable<bool> {
        reactor::ServerResponse answer;
        if (request.target.starts_with("/_sim/")) {
          answer = manage(request, sim, management);
        } else if (auto fault =
                       management.faults.take(request.method, split_target(request.target).path)) {
          answer = fault_answer(front, *fault);
        } else {
          answer = co_await front.serve(request, sim);
        }
        if (!request.target.starts_with("/_sim/"))
          ++management.served[request.method + " " + std::to_string(answer.status)];
        log::debug(
            "request",
            {{"method", request.method}, {"target", request.target}, {"status", answer.status}});
        co_return co_await responder.reply(std::move(answer));
      });
  if (!listener)
    return fail(listener.error().message());
  const int signal =
      cmd::serve_until_signal(reactor, **listener, "dns-api-sim listening on http://127.0.0.1:");
  log::info("dns-api-sim stopped", {{"signal", signal}});
  return 0;
}
