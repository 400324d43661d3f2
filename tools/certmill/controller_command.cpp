// certmill controller: connects to the API server (--kubeconfig, KUBECONFIG,
// in-cluster, ~/.kube/config), campaigns for the leader Lease as
// cert-manager's controller does, and while leading keeps every Certificate
// issued and renewed; serves /metrics and the health probes; on SIGTERM or
// SIGINT lets in-flight work finish, then releases the Lease.
#include <cstdlib>
#include <future>
#include <malloc.h>
#include <random>
#include <thread>
#include <tuple>
#include <unistd.h>

#include "controller/http_endpoints.hpp"
#include "controller/runtime/sharded_controller.hpp"
#include "core/port.hpp"
#include "k8s/client.hpp"
#include "k8s/kubeconfig.hpp"
#include "k8s/leader_election.hpp"
#include "k8s/write_gate.hpp"
#include "reactor/http_server.hpp"
#include "reactor/reactor.hpp"
#include "reactor/signals.hpp"
#include "solvers/dns/nameservers.hpp"
#include "solvers/http01/solver_endpoint.hpp"
#include "tools/certmill/cert_manager_flags.hpp"
#include "tools/certmill/commands.hpp"
#include "tools/certmill/controller_config_file.hpp"

namespace certmill::cmd {
namespace {

namespace asio = boost::asio;

// Unique per process, readable in `kubectl get lease -o yaml`.
std::string identity() {
  char host[256] = "certmill";
  ::gethostname(host, sizeof host - 1);
  std::random_device random;
  char suffix[16];
  std::snprintf(suffix, sizeof suffix, "_%08x", random());
  return std::string(host) + suffix;
}

}  // namespace

int controller(Args args) {
  // One malloc arena for the whole process. glibc gives each thread that
  // contends for the lock an arena of its own, and the free space of one is
  // never reused by another: the shards' and key workers' arenas held a
  // large share of the peak RSS in slack. One arena costs some controller
  // CPU; bench/RESULTS.md has both figures.
  mallopt(M_ARENA_MAX, 1);
  unsigned shards = 0;
  unsigned key_workers = 0;
  Duration grace = std::chrono::seconds(30);
  std::string kubeconfig;
  bool leader_elect = true;
  double qps = 20;
  double burst = 50;
  std::string metrics_address = "0.0.0.0:9402";
  std::string healthz_address = ":9403";
  std::string http01_address = "0.0.0.0:8089";
  std::string default_issuer_name, default_issuer_kind = "Issuer",
                                   default_issuer_group = "cert-manager.io";
  controller::ControllerConfig config;
  k8s::LeaderElectionConfig election;
  LogFlags logging;
  cli::FlagSet flags("certmill controller",
                     "Runs the certificate controller until SIGTERM or SIGINT: keeps a valid TLS\n"
                     "Secret behind every Certificate, annotated Ingress and Gateway, renewed in\n"
                     "time, and serves Prometheus metrics and health probes.");
  flags.add("kubeconfig", &kubeconfig,
            "kubeconfig file; else $KUBECONFIG, the pod's service account, ~/.kube/config");
  flags.add("namespace", &config.caches.namespace_,
            "watch only this namespace; empty watches every namespace");
  flags.add("cluster-resource-namespace", &config.runtime.cluster_resource_namespace,
            "namespace of the Secrets that ClusterIssuers reference");
  flags.add("enable-gateway-api", &config.caches.gateways,
            "watch Gateways (gateway.networking.k8s.io/v1) for gateway-shim");
  flags.add("default-issuer-name", &default_issuer_name,
            "issuer for Ingresses with an --auto-certificate-annotations annotation \"true\"");
  flags.add("default-issuer-kind", &default_issuer_kind, "kind of --default-issuer-name");
  flags.add("default-issuer-group", &default_issuer_group, "group of --default-issuer-name");
  flags.add("issuance-backoff-initial", &config.runtime.backoff.initial,
            "wait after a failed issuance before the next attempt; doubles each time");
  flags.add("issuance-backoff-max", &config.runtime.backoff.max,
            "longest wait between failed issuance attempts");
  flags.add("metrics-listen-address", &metrics_address, "host:port for Prometheus' /metrics");
  flags.add("healthz-listen-address", &healthz_address,
            "host:port for /healthz, /livez and /readyz");
  flags.add("http01-listen-address", &http01_address,
            "host:port where certmill answers ACME HTTP-01 challenges itself; solver\n"
            "Ingresses and HTTPRoutes route /.well-known/acme-challenge/ here");
  flags.add("http01-solver-service", &config.runtime.http01_solver_service,
            "Service, in each Challenge's namespace, that solver Ingresses and HTTPRoutes\n"
            "route to when POD_IP is unset; it must lead to --http01-listen-address (with\n"
            "POD_IP, each Challenge gets a Service and EndpointSlice to this pod)");
  flags.add("http01-solver-service-port", &config.runtime.http01_solver_port,
            "port of --http01-solver-service");
  std::string self_check_nameservers;
  flags.add("acme-http01-solver-nameservers", &self_check_nameservers,
            "DNS servers (IP:port, comma-separated) that resolve names for the HTTP-01\n"
            "self-check; empty uses the system's resolver");
  unsigned self_check_port = 80;
  flags.add("acme-http01-self-check-port", &self_check_port,
            "port the HTTP-01 self-check asks on each name before the CA is told to look\n"
            "(the CA asks port 80)");
  unsigned dns01_authoritative_port = 53;
  flags.add("dns01-authoritative-port", &dns01_authoritative_port,
            "port the DNS-01 propagation check asks each zone's authoritative nameservers\n"
            "on (53 on the Internet; a test setup on loopback moves it)");
  // One flag per cloud DNS provider: a private endpoint, or the emulator a
  // test runs (tools/dns-api-sim).
  for (const auto& [provider, flag, public_url] :
       {std::tuple{"cloudflare", "cloudflare-api-url", "https://api.cloudflare.com/client/v4"},
        std::tuple{"cloudDNS", "clouddns-api-url", "https://dns.googleapis.com/dns/v1"},
        std::tuple{"azureDNS", "azuredns-api-url",
                   "the cloud's: https://management.azure.com, and Microsoft Entra at "
                   "https://login.microsoftonline.com"},
        std::tuple{"digitalocean", "digitalocean-api-url", "https://api.digitalocean.com/v2"},
        std::tuple{"route53", "route53-api-url",
                   "https://route53.amazonaws.com, and STS at https://sts.REGION.amazonaws.com"}}) {
    flags.add(flag, &config.runtime.dns01_provider_api_urls[provider],
              std::string("base URL of the ") + provider + " DNS-01 provider's API (default " +
                  public_url + ")");
  }
  flags.add("public-suffix-list", &config.runtime.public_suffix_list,
            "the Public Suffix List that ACME rate limits count registered domains by\n"
            "(Debian's package publicsuffix); unreadable, every name counts under its\n"
            "last two labels");
  unsigned max_issuances = 512;
  flags.add("max-concurrent-issuances", &max_issuances,
            "issuances in flight at once for each issuer (spread over the shards); more\n"
            "wait their turn. Per issuer, so that one whose issuances stall (an ACME\n"
            "account waiting out a rate limit) holds up no other");
  unsigned max_issuances_total = 1024;
  flags.add("max-issuances-in-flight", &max_issuances_total,
            "issuances in flight at once over all issuers (spread over the shards), an\n"
            "ACME order ~45 KB of memory each; while all are taken, freed ones go to the\n"
            "waiting issuers in turn");
  flags.add("shards", &shards, "reactor shards (threads); 0 means one per core");
  flags.add("key-workers", &key_workers,
            "threads for private key generation and signing; 0 means one per core");
  flags.add("kube-api-qps", &qps, "API writes per second, for the whole process");
  flags.add("kube-api-burst", &burst, "API writes allowed at once above --kube-api-qps");
  flags.add("shutdown-grace-period", &grace,
            "on SIGTERM, how long in-flight work may finish before it is cancelled");
  flags.add("leader-elect", &leader_elect, "run only while holding the leader Lease");
  flags.add("leader-election-namespace", &election.namespace_, "namespace of the leader Lease");
  flags.add("leader-election-lease-duration", &election.lease_duration,
            "how long a Lease not renewed stays its holder's");
  flags.add("leader-election-renew-deadline", &election.renew_deadline,
            "how long the leader keeps trying to renew before it stops leading");
  flags.add("leader-election-retry-period", &election.retry_period,
            "how often candidates try, and the leader renews");
  logging.add_to(flags);
  // cert-manager's flags and --config file, for its Helm chart: the file
  // first, then the command line over it.
  CertManagerFlags cert_manager;
  add_cert_manager_flags(flags, cert_manager, &logging.format, &healthz_address);
  if (auto path = config_path(args); path && !path->empty()) {
    if (Status loaded = load_config_file(*path, flags); !loaded) {
      std::fprintf(stderr, "certmill: %s\n", loaded.error().message().c_str());
      return 2;
    }
  }
  start_command_line(cert_manager);
  if (int code = parse_or_exit(flags, args); code >= 0)
    return code;
  if (cert_manager.verbosity)
    logging.level = log_level_for_verbosity(*cert_manager.verbosity);
  logging.apply();
  const ControllerChoice chosen =
      choose_controllers(cert_manager.controllers.items, cert_manager.feature_gates,
                         config.caches.gateways, !config.caches.namespace_.empty());
  config.caches.gateways = chosen.gateway_shim;
  config.runtime.approve_requests = chosen.approve_requests;
  config.runtime.certificate_owner_ref = cert_manager.enable_certificate_owner_ref;
  config.runtime.copied_annotation_prefixes = cert_manager.copied_annotation_prefixes.items;
  config.runtime.shim.auto_annotations = cert_manager.auto_certificate_annotations.items;
  config.runtime.shim.extra_annotations = cert_manager.extra_certificate_annotations.items;
  config.runtime.issuer_ambient_credentials = cert_manager.issuer_ambient_credentials;
  config.runtime.cluster_issuer_ambient_credentials =
      cert_manager.cluster_issuer_ambient_credentials;
  config.runtime.dns01_recursive_only = cert_manager.dns01_recursive_nameservers_only;
  config.runtime.dns01_check_retry_period = cert_manager.dns01_check_retry_period;
  for (const std::string& item : cert_manager.dns01_recursive_nameservers.items) {
    auto servers = solvers::parse_nameservers(item);  // each checked when given
    config.runtime.dns01_recursive_nameservers.insert(
        config.runtime.dns01_recursive_nameservers.end(), servers->begin(), servers->end());
  }
  if (cert_manager.dns01_check_retry_period < std::chrono::seconds(1)) {
    std::fprintf(stderr, "certmill: --dns01-check-retry-period must be at least 1s\n");
    return 2;
  }
  if (dns01_authoritative_port == 0 || dns01_authoritative_port > 65535) {
    std::fprintf(stderr, "certmill: --dns01-authoritative-port must be a port, 1 to 65535\n");
    return 2;
  }
  config.runtime.dns01_authoritative_port = static_cast<unsigned short>(dns01_authoritative_port);
  if (const std::string ignored = ignored_flags_text(cert_manager, chosen.not_honoured);
      !ignored.empty())
    log::info("cert-manager flags accepted but ignored", {{"ignored", ignored}});
  if (election.renew_deadline >= election.lease_duration) {
    std::fprintf(stderr,
                 "certmill: --leader-election-renew-deadline must be shorter than "
                 "--leader-election-lease-duration, or two leaders could overlap\n");
    return 2;
  }
  if (config.runtime.backoff.initial <= Duration::zero() ||
      config.runtime.backoff.max < config.runtime.backoff.initial) {
    std::fprintf(stderr,
                 "certmill: --issuance-backoff-initial must be positive and no longer than "
                 "--issuance-backoff-max\n");
    return 2;
  }
  if (config.runtime.http01_solver_port == 0 || config.runtime.http01_solver_port > 65535) {
    std::fprintf(stderr, "certmill: --http01-solver-service-port must be a port, 1 to 65535\n");
    return 2;
  }
  if (self_check_port == 0 || self_check_port > 65535) {
    std::fprintf(stderr, "certmill: --acme-http01-self-check-port must be a port, 1 to 65535\n");
    return 2;
  }
  config.runtime.http01_self_check.port = static_cast<unsigned short>(self_check_port);
  if (auto servers = solvers::parse_nameservers(self_check_nameservers); !servers) {
    std::fprintf(stderr, "certmill: --acme-http01-solver-nameservers: %s\n",
                 servers.error().message().c_str());
    return 2;
  } else {
    config.runtime.http01_self_check.nameservers = std::move(*servers);
  }
  if (!default_issuer_name.empty())
    config.runtime.shim.issuer = {default_issuer_name, default_issuer_kind, default_issuer_group};
  // In a pod, the downward API's POD_IP (deploy/controller/deployment.yaml):
  // each Challenge then gets a Service and EndpointSlice that lead to this
  // pod's HTTP-01 listener. Unset (loopback, the demo), routes name
  // --http01-solver-service.
  if (const char* pod_ip = std::getenv("POD_IP"); pod_ip && *pod_ip) {
    const auto port =
        parse_port(std::string_view(http01_address).substr(http01_address.rfind(':') + 1));
    if (!solvers::address_type(pod_ip) || !port) {
      std::fprintf(stderr,
                   "certmill: POD_IP \"%s\" must be the pod's IP address and "
                   "--http01-listen-address must name a port, for the HTTP-01 EndpointSlices\n",
                   pod_ip);
      return 2;
    }
    config.runtime.pod_ip = pod_ip;
    config.runtime.http01_listen_port = *port;
  }

  auto client_config = k8s::load_client_config(kubeconfig, "", k8s::process_environment());
  if (!client_config) {
    std::fprintf(stderr, "certmill: %s\n", client_config.error().message().c_str());
    return 1;
  }
  reactor::Reactor reactor(shards);
  config.runtime.max_issuances = std::max(1u, max_issuances / reactor.size());
  config.runtime.max_issuances_total = std::max(1u, max_issuances_total / reactor.size());
  config.runtime.max_challenges =
      std::max(1u, cert_manager.max_concurrent_challenges / reactor.size());
  // One limiter for every shard's writes, owned by shard 0.
  reactor::RateLimiter writes(reactor.clock(), qps, burst);
  auto clients = make_shard_clients(reactor, *client_config, &writes);
  if (!clients) {
    std::fprintf(stderr, "certmill: %s\n", clients.error().message().c_str());
    return 1;
  }
  reactor::WorkerPool pool(key_workers ? key_workers : std::thread::hardware_concurrency());
  controller::Controller controller(reactor, clients->each, pool, config);

  auto metrics_server =
      controller::HttpEndpoints::listen(reactor.shard(0).executor(), metrics_address);
  auto health_server = controller::HttpEndpoints::listen(
      reactor.shard(0).executor(), healthz_address, {.flag = "--healthz-listen-address"});
  // The CA's validation requests are answered off shard 0, which carries the
  // informers.
  auto http01_server =
      reactor::HttpServer::listen(reactor.shard(reactor.size() - 1).executor(), http01_address,
                                  {.flag = "--http01-listen-address"});
  if (!metrics_server || !health_server || !http01_server) {
    const Error& error = !metrics_server  ? metrics_server.error()
                         : !health_server ? health_server.error()
                                          : http01_server.error();
    std::fprintf(stderr, "certmill: %s\n", error.message().c_str());
    return 1;
  }
  controller.http01().attach(**http01_server);
  (*metrics_server)->handle_metrics("/metrics", [&] { return controller.metrics_scrape(); });
  (*health_server)
      ->handle_health([] { return std::optional<std::string>(); },
                      // A standby is Ready: it can take the Lease at any
                      // moment, and a rolling update or a disruption budget
                      // must be able to count it. A leader is Ready once its
                      // caches are synced.
                      [&]() -> std::optional<std::string> {
                        if (controller.started() && !controller.synced())
                          return "caches are not synced yet";
                        return std::nullopt;
                      });
  for (auto* server : {metrics_server->get(), health_server->get()}) {
    reactor.spawn_service(reactor.shard(0),
                          [server]() -> asio::awaitable<void> { co_await server->run(); });
  }
  reactor.spawn_service(
      reactor.shard(reactor.size() - 1),
      [server = http01_server->get()]() -> asio::awaitable<void> { co_await server->run(); });

  std::promise<int> stop;
  std::atomic<bool> stopping{false};
  auto request_stop = [&](int code) {
    if (!stopping.exchange(true))
      stop.set_value(code);
  };
  election.identity = identity();
  k8s::Elector elector(election, reactor.clock(), [&](bool leading) {
    if (leading) {
      log::info("became the leader; starting the controllers", {{"identity", election.identity}});
      controller.start();
    } else if (controller.started()) {
      // As cert-manager: a controller that lost its Lease stops, and its
      // successor takes over from the cluster's state.
      log::error("lost the leader Lease; stopping", {{"identity", election.identity}});
      request_stop(-1);
    }
  });
  if (leader_elect) {
    // Released last, once every write in flight has ended: a standby that
    // takes the Lease must not find its predecessor still writing.
    reactor.spawn_final_service(reactor.shard(0), [&]() -> asio::awaitable<void> {
      co_await elector.run(*clients->each[0]);
    });
  } else {
    controller.start();
  }

  reactor::on_termination_signal(reactor.shard(0).executor(),
                                 [&](int signal) { request_stop(signal); });
  reactor.start();
  // Where each listener is: the host as given (every interface when it was
  // left out), the port as bound (a chosen one for :0).
  const auto where = [](const std::string& address, unsigned short port) {
    auto parsed = reactor::parse_listen_address(address);
    const std::string host = parsed ? parsed->host : std::string();
    return (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
           std::to_string(port);
  };
  log::info("certmill controller started",
            {{"shards", reactor.size()},
             {"server", client_config->server},
             {"config", client_config->source},
             {"leader_elect", leader_elect},
             {"metrics", where(metrics_address, (*metrics_server)->port())},
             {"healthz", where(healthz_address, (*health_server)->port())},
             {"http01", where(http01_address, (*http01_server)->port())}});

  const int signal = stop.get_future().get();
  log::info("shutting down", {{"signal", signal}, {"grace_period", format_duration(grace)}});
  const auto report = reactor.shutdown(grace, std::chrono::seconds(10)).get();
  reactor.join();
  pool.stop();
  log::info("stopped", {{"in_flight", report.in_flight},
                        {"cancelled", report.cancelled},
                        {"abandoned", report.abandoned}});
  return signal < 0 ? 1 : 0;
}

}  // namespace certmill::cmd
