// dns-webhook-example: a cert-manager DNS-01 webhook solver written only to
// cert-manager's published webhook interface, for certmill's tests. It is
// what an APIService's Service points at: it answers POST
// /apis/<group>/v1alpha1/<solver> with a ChallengePayload whose response
// says whether the record was presented (Present) or removed (CleanUp), and
// writes the record into a DNS server by RFC 2136. The solver's config may
// say {"fail": "why"} to have every request refused with that message.
// It serves HTTPS, logs one line per request to stderr, stops on SIGTERM.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include <boost/json.hpp>

#include "core/log.hpp"
#include "reactor/http_listener.hpp"
#include "reactor/log_sink.hpp"
#include "reactor/reactor.hpp"
#include "solvers/dns/rfc2136/update.hpp"
#include "tools/cli/flags.hpp"
#include "tools/cli/serve.hpp"

namespace asio = boost::asio;
namespace json = boost::json;
using namespace certmill;

namespace {

int fail(const std::string& message) {
  std::fprintf(stderr, "dns-webhook-example: %s\n", message.c_str());
  return 2;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string field(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

reactor::ServerResponse answer(unsigned status, const json::object& response) {
  return {.status = status,
          .headers = {{"Content-Type", "application/json"}},
          .body = json::serialize(json::object{{"apiVersion", "acme.cert-manager.io/v1alpha1"},
                                               {"kind", "ChallengePayload"},
                                               {"response", response}})};
}

reactor::ServerResponse refused(const std::string& uid, const std::string& message) {
  return answer(200, {{"uid", uid},
                      {"success", false},
                      {"status", json::object{{"status", "Failure"}, {"message", message}}}});
}

}  // namespace

int main(int argc, char** argv) {
  std::string listen = "127.0.0.1:0";
  std::string group = "acme.example.test";
  std::string solver = "example-solver";
  std::string certificate;
  std::string key;
  solvers::rfc2136::Settings dns{{}, {}, "HMACSHA256", {}, "TCP"};
  cli::FlagSet flags("dns-webhook-example",
                     "A cert-manager DNS-01 webhook solver for tests: serves\n"
                     "POST /apis/GROUP/v1alpha1/SOLVER over HTTPS and writes the records by\n"
                     "RFC 2136 into --dns-server.");
  flags.add("listen-address", &listen, "host:port to serve HTTPS on; port 0 picks one");
  flags.add("group-name", &group, "the API group the solver is registered under");
  flags.add("solver-name", &solver, "the solver's name, the resource it serves");
  flags.add("tls-certificate", &certificate, "PEM certificate to serve with");
  flags.add("tls-key", &key, "PEM key of --tls-certificate");
  flags.add("dns-server", &dns.nameserver, "host:port of the DNS server that takes updates");
  flags.add("tsig-key-name", &dns.tsig_key_name, "TSIG key that signs the updates");
  flags.add("tsig-algorithm", &dns.tsig_algorithm, "the key's algorithm, as cert-manager names it");
  flags.add("tsig-secret", &dns.tsig_secret, "the key's secret, base64");
  std::vector<std::string> args(argv + 1, argv + argc);
  auto parsed = flags.parse(args);
  if (!parsed)
    return fail(parsed.error().message());
  if (parsed->help) {
    std::fputs(flags.usage().c_str(), stdout);
    return 0;
  }
  if (certificate.empty() || key.empty() || dns.nameserver.empty())
    return fail("--tls-certificate, --tls-key and --dns-server are required");
  reactor::log_to_stderr();
  log::configure(log::Level::info, log::Format::text);
  reactor::Reactor reactor(1);
  reactor::Shard& shard = reactor.shard(0);
  const std::string path = "/apis/" + group + "/v1alpha1/" + solver;
  reactor::HttpListenerOptions options;
  options.flag = "--listen-address";
  options.body_limit = 1u << 20;
  options.tls = reactor::TlsIdentity{read_file(certificate), read_file(key)};
  auto listener = reactor::HttpListener::listen(
      shard.executor(), listen, std::move(options),
      [&](reactor::ServerRequest& request, reactor::Responder& responder) -> asio::awaitable<bool> {
        if (request.method != "POST" || request.target != path)
          co_return co_await responder.reply({.status = 404, .body = "not found\n"});
        json::error_code ec;
        const json::value body = json::parse(request.body, ec);
        const json::object* payload = ec ? nullptr : body.if_object();
        const json::value* inner = payload ? payload->if_contains("request") : nullptr;
        if (!inner || !inner->is_object())
          co_return co_await responder.reply({.status = 400, .body = "not a ChallengePayload\n"});
        const json::object& challenge = inner->as_object();
        const std::string uid = field(challenge, "uid");
        const std::string action = field(challenge, "action");
        log::info("challenge", {{"action", action},
                                {"fqdn", field(challenge, "resolvedFQDN")},
                                {"dnsName", field(challenge, "dnsName")},
                                {"remoteUser", request.header("X-Remote-User")}});
        const json::value* config = challenge.if_contains("config");
        if (config && config->is_object() && config->as_object().contains("fail"))
          co_return co_await responder.reply(refused(uid, field(config->as_object(), "fail")));
        const Status written = co_await solvers::rfc2136::rfc2136_update(
            shard.executor(), dns, field(challenge, "resolvedZone"),
            field(challenge, "resolvedFQDN"), field(challenge, "key"),
            action == "Present" ? solvers::rfc2136::Change::add : solvers::rfc2136::Change::remove,
            std::chrono::steady_clock::now() + std::chrono::seconds(10));
        if (!written)
          co_return co_await responder.reply(refused(uid, written.error().message()));
        co_return co_await responder.reply(answer(200, {{"uid", uid}, {"success", true}}));
      });
  if (!listener)
    return fail(listener.error().message());
  cmd::serve_until_signal(reactor, **listener,
                          "dns-webhook-example listening on https://127.0.0.1:");
  return 0;
}
