// acme-front: an ACME reverse proxy in front of Pebble that adds what Pebble
// lacks and Let's Encrypt has (rate limits, ARI renewalInfo, profiles), so
// certmill's client can be tested against production-like behaviour. It
// prints its URLs once ready and stops cleanly on SIGTERM.
#include <cstdio>
#include <fstream>
#include <future>
#include <sstream>
#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "core/log.hpp"
#include "reactor/http_server.hpp"
#include "reactor/log_sink.hpp"
#include "reactor/reactor.hpp"
#include "reactor/run_on.hpp"
#include "reactor/signals.hpp"
#include "tools/acme-front/front.hpp"
#include "tools/acme-front/management.hpp"
#include "tools/acme-front/problems.hpp"
#include "tools/cli/flags.hpp"

namespace asio = boost::asio;
using namespace certmill;
using namespace certmill::acmefront;

namespace {

int fail(const std::string& message) {
  std::fprintf(stderr, "acme-front: %s\n", message.c_str());
  return 2;
}

Result<std::string> read_file(const std::string& path, const std::string& flag) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in || text.str().empty())
    return Error(Errc::invalid_argument,
                 flag + ": cannot read \"" + path + "\"; pass a readable PEM file");
  return text.str();
}

// "https://127.0.0.1:14000/dir" -> origin and directory path.
Result<std::pair<std::string, std::string>> split_upstream(const std::string& url) {
  const auto fail_with = [&](std::string why) {
    return Error(Errc::invalid_argument,
                 "--upstream: \"" + url + "\" " + why +
                     "; pass the CA's directory URL, e.g. https://127.0.0.1:14000/dir");
  };
  if (!url.starts_with("https://") && !url.starts_with("http://"))
    return fail_with("is not an http(s) URL");
  const auto slash = url.find('/', url.find("://") + 3);
  if (slash == std::string::npos || slash + 1 == url.size())
    return fail_with("has no directory path");
  return std::pair{url.substr(0, slash), url.substr(slash)};
}

Result<std::map<std::string, std::string>> parse_profiles(const std::vector<std::string>& specs) {
  std::map<std::string, std::string> profiles;
  for (const auto& spec : specs) {
    const auto eq = spec.find('=');
    if (eq == 0 || eq == std::string::npos)
      return Error(Errc::invalid_argument, "--profile: \"" + spec +
                                               "\" is not NAME=DESCRIPTION, e.g. "
                                               "--profile classic=https://example.com/classic");
    profiles[spec.substr(0, eq)] = spec.substr(eq + 1);
  }
  return profiles;
}

// The host:port clients reach a listener at, for the Host header of the
// front's own start-up request.
std::string reachable(const std::string& address, unsigned short port) {
  auto parsed = reactor::parse_listen_address(address);
  std::string host = parsed && !parsed->host.empty() ? parsed->host : "127.0.0.1";
  if (host.find(':') != std::string::npos)
    host = "[" + host + "]";
  return host + ":" + std::to_string(port);
}

}  // namespace

int main(int argc, char** argv) {
  std::string listen = "127.0.0.1:0";
  std::string management_listen = "127.0.0.1:0";
  std::string tls_certificate;
  std::string tls_key;
  std::string upstream;
  std::string upstream_ca_file;
  Duration upstream_timeout = std::chrono::seconds(30);
  std::vector<std::string> profile_specs;
  std::string new_orders = "300/3h";
  std::string per_domain = "50/168h";
  std::string per_exact_set = "5/168h";
  std::string failed_authorizations = "5/1h";
  std::string public_suffix_list = ratelimits::PublicSuffixList::kDebianPath;
  Duration renewal_info_retry_after = std::chrono::hours(6);
  unsigned body_limit = 64 * 1024;
  std::string log_level = "info";
  cli::FlagSet flags(
      "acme-front",
      "An ACME reverse proxy in front of Pebble that adds what Let's Encrypt has and\n"
      "Pebble lacks: rate limits in Boulder's words (429 rateLimited with Retry-After;\n"
      "renewals of an issued set exempt from new orders and registered domains, ARI\n"
      "renewals with `replaces` from all), renewalInfo (RFC 9773) for the certificates\n"
      "downloaded through it, and profiles. Limits are COUNT/PERIOD, e.g. 300/3h; 0\n"
      "turns one off.\n"
      "The management API (plain HTTP) takes POST /renewal-window, /replaced,\n"
      "/replaces-answer, /clock and GET /stats.");
  flags.add("listen-address", &listen, "host:port to serve ACME over HTTPS on; port 0 picks one");
  flags.add("management-listen-address", &management_listen,
            "host:port for the plain-HTTP management API; port 0 picks one");
  flags.add("tls-certificate", &tls_certificate, "PEM certificate chain to serve HTTPS with");
  flags.add("tls-key", &tls_key, "PEM private key of --tls-certificate");
  flags.add("upstream", &upstream, "the CA's directory URL, e.g. https://127.0.0.1:14000/dir");
  flags.add("upstream-ca-file", &upstream_ca_file,
            "PEM certificates to trust for the CA's HTTPS (default: the system's)");
  flags.add("upstream-timeout", &upstream_timeout, "deadline of each request to the CA");
  flags.add("profile", &profile_specs, "NAME=DESCRIPTION of a profile the directory offers");
  flags.add("new-orders-per-account", &new_orders, "new orders per account");
  flags.add("certificates-per-domain", &per_domain,
            "certificates per registered domain (by the Public Suffix List)");
  flags.add("certificates-per-exact-set", &per_exact_set,
            "certificates per exact set of identifiers");
  flags.add("failed-authorizations-per-identifier", &failed_authorizations,
            "failed authorizations per identifier");
  flags.add("public-suffix-list", &public_suffix_list,
            "the Public Suffix List (.dat) that finds registered domains; Debian's package "
            "publicsuffix installs the default");
  flags.add("renewal-info-retry-after", &renewal_info_retry_after,
            "Retry-After of renewalInfo answers");
  flags.add("body-limit", &body_limit, "largest request body in bytes; larger ones get 413");
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
  if (!parsed->positional.empty())
    return fail("unexpected argument \"" + parsed->positional.front() +
                "\"; run 'acme-front --help' for the list of flags");
  if (upstream.empty() || tls_certificate.empty() || tls_key.empty())
    return fail(
        "--upstream, --tls-certificate and --tls-key are required; run 'acme-front "
        "--help' for the list of flags");
  reactor::log_to_stderr();
  log::configure(log_level == "debug"   ? log::Level::debug
                 : log_level == "warn"  ? log::Level::warn
                 : log_level == "error" ? log::Level::error
                                        : log::Level::info,
                 log::Format::text);

  FrontConfig config;
  auto split = split_upstream(upstream);
  if (!split)
    return fail(split.error().message());
  config.upstream_origin = split->first;
  config.directory_path = split->second;
  auto profiles = parse_profiles(profile_specs);
  if (!profiles)
    return fail(profiles.error().message());
  config.profiles = std::move(*profiles);
  const std::pair<const char*, std::pair<std::string*, LimitSpec*>> limits[] = {
      {"--new-orders-per-account", {&new_orders, &config.limits.new_orders_per_account}},
      {"--certificates-per-domain", {&per_domain, &config.limits.certificates_per_domain}},
      {"--certificates-per-exact-set", {&per_exact_set, &config.limits.certificates_per_exact_set}},
      {"--failed-authorizations-per-identifier",
       {&failed_authorizations, &config.limits.failed_authorizations_per_identifier}},
  };
  for (const auto& [flag, target] : limits) {
    auto spec = parse_limit_spec(*target.first);
    if (!spec)
      return fail(std::string(flag) + ": " + spec.error().message());
    *target.second = *spec;
  }
  auto suffixes = ratelimits::PublicSuffixList::load(public_suffix_list);
  if (!suffixes)
    return fail("--public-suffix-list: " + suffixes.error().message());
  config.public_suffixes =
      std::make_shared<const ratelimits::PublicSuffixList>(std::move(*suffixes));
  config.renewal_info_retry_after =
      std::chrono::ceil<std::chrono::seconds>(renewal_info_retry_after);
  config.upstream_timeout = upstream_timeout;

  TlsIdentity identity;
  issuers::acme::TransportConfig transport_config;
  for (auto [path, flag, target] :
       {std::tuple{&tls_certificate, "--tls-certificate", &identity.certificate_pem},
        std::tuple{&tls_key, "--tls-key", &identity.key_pem},
        std::tuple{&upstream_ca_file, "--upstream-ca-file", &transport_config.ca_bundle_pem}}) {
    if (path->empty())
      continue;
    auto text = read_file(*path, flag);
    if (!text)
      return fail(text.error().message());
    *target = std::move(*text);
  }

  reactor::Reactor reactor(1);
  reactor::Shard& shard = reactor.shard(0);
  auto transport = issuers::acme::Transport::create(shard.executor(), transport_config);
  if (!transport)
    return fail("--upstream-ca-file: " + transport.error().message());
  Front front(std::move(config), std::move(*transport));

  ServerOptions acme_options;
  acme_options.body_limit = body_limit;
  acme_options.refuse = &Front::refuse;
  auto acme_server = Server::listen(
      shard, listen, "--listen-address", identity,
      [&front](Request request) { return front.handle(std::move(request)); }, acme_options);
  if (!acme_server)
    return fail(acme_server.error().message());
  ServerOptions management_options;
  management_options.refuse = [](unsigned status, std::string why) {
    Response response;
    response.status = status;
    response.content_type = "text/plain; charset=utf-8";
    response.body = why + "\n";
    return response;
  };
  auto management_server = Server::listen(
      shard, management_listen, "--management-listen-address", std::nullopt,
      [&front](Request request) -> asio::awaitable<Response> { co_return manage(front, request); },
      management_options);
  if (!management_server)
    return fail(management_server.error().message());

  std::promise<int> signalled;
  asio::co_spawn(
      shard.executor(),
      [&]() -> asio::awaitable<void> {
        signalled.set_value(co_await reactor::wait_for_termination_signal());
      },
      asio::detached);
  reactor.start();
  const std::string front_address = reachable(listen, (*acme_server)->port());
  const Status learned =
      reactor::run_and_wait(shard.executor(), [&] { return front.learn_directory(front_address); });
  const auto stop = [&] {
    asio::post(shard.executor(), [&] {
      (*acme_server)->stop();
      (*management_server)->stop();
    });
    reactor.shutdown(std::chrono::seconds(2), std::chrono::seconds(1)).get();
    reactor.join();
  };
  if (!learned) {
    std::fprintf(stderr,
                 "acme-front: cannot read the CA's directory at %s: %s; check that the CA runs, "
                 "and --upstream and --upstream-ca-file\n",
                 upstream.c_str(), learned.error().message().c_str());
    stop();
    return 1;
  }
  asio::post(shard.executor(), [&] {
    (*acme_server)->start();
    (*management_server)->start();
  });
  const std::string url = "https://" + front_address + split->second;
  const std::string management_url =
      "http://" + reachable(management_listen, (*management_server)->port());
  std::printf("acme-front listening on %s\nacme-front management on %s\n", url.c_str(),
              management_url.c_str());
  std::fflush(stdout);
  log::info("acme-front ready",
            {{"url", url}, {"management", management_url}, {"upstream", upstream}});

  const int signal = signalled.get_future().get();
  log::info("acme-front stopping", {{"signal", signal}});
  stop();
  return 0;
}
