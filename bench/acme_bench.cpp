// The ACME benchmark (issue #7): N ECDSA Certificates issued over HTTP-01 by
// a `certmill controller` process against Debian's Pebble, then the same N
// names issued by Debian's `lego` against the same Pebble, for comparison.
// Both clients talk to Pebble through acme-front (rate limits off), whose
// GET /stats counts their ACME requests by kind: "ACME requests per
// certificate" comes from the same counter for both. Measured for certmill:
// time from the controller's start until every Certificate is Ready (seen
// through a watch), certificates per second, the controller's CPU seconds and
// peak RSS (/proc), ACME requests and API writes (kube-sim's accounting) per
// certificate. For lego: wall time for all N names, certificates per second,
// CPU seconds summed over its runs and the largest peak RSS of one run
// (wait4's rusage), ACME requests per certificate. One lego run issues one
// certificate; runs share one account (--path), the first registers it.
// Pebble validates every HTTP-01 challenge on one port: with --lego-parallel 1
// runs are sequential and each serves it with lego's own server; with more,
// that many runs go at once with --http.webroot and this benchmark serves the
// webroot on Pebble's port. With --dns01 (issue #21) both prove the names by
// DNS-01 instead: Debian's BIND serves example.com, takes RFC 2136 updates
// signed with a TSIG key and is Pebble's resolver; certmill's ClusterIssuer
// has an rfc2136 solver and lego runs with `--dns rfc2136`; --wildcard adds
// *.NAME to every certificate. With --cas K (issue #25) the fleet is
// spread over K Pebbles, a ClusterIssuer each, all validating at the
// controller's one HTTP-01 port: Debian's Pebble 2.4 deadlocks once its
// store holds a few thousand authorizations. Every server listens on
// 127.0.0.1 and is stopped at the end. Prints Markdown table rows; bench/plots/acme.sh runs
// and plots.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <thread>

#include <simdjson.h>

#include "bench/lego_runs.hpp"
#include "core/base64.hpp"
#include "k8s/api_error.hpp"
#include "k8s/kubeconfig.hpp"
#include "reactor/http_server.hpp"
#include "reactor/run_on.hpp"
#include "reactor/task_group.hpp"
#include "tests/support/acme_front.hpp"
#include "tests/support/named_server.hpp"
#include "tests/support/pebble.hpp"
#include "tools/cli/flags.hpp"
#include "tools/fleet/apply.hpp"
#include "tools/fleet/child_process.hpp"
#include "tools/fleet/fleet.hpp"
#include "tools/fleet/kube_sim_process.hpp"
#include "tools/fleet/process_usage.hpp"
#include "tools/fleet/ready_counter.hpp"
#include "tools/fleet/sim_stats.hpp"

using namespace certmill;
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

using bench::DnsSetup;
using bench::LegoResult;
using bench::LegoSetup;
using bench::run_lego;
using bench::seconds_since;

namespace {

constexpr const char* kIssuer = "pebble-acme";

// The ClusterIssuer of CA `ca`: pebble-acme, then pebble-acme-1, -2, ...
std::string issuer_name(unsigned ca) {
  return ca == 0 ? std::string(kIssuer) : std::string(kIssuer) + "-" + std::to_string(ca);
}

// The CAs a fleet is spread over: a Pebble, and acme-front before it, each.
struct Cas {
  std::vector<std::unique_ptr<test::Pebble>> pebbles;
  std::vector<std::unique_ptr<test::AcmeFront>> fronts;
};

using fleet::ProcessUsage;
using fleet::usage_of;

// acme-front's requests by kind ("newOrder" → n), from GET /stats.
std::map<std::string, long> acme_requests(const test::AcmeFront& front);

// Every front's, summed.
std::map<std::string, long> acme_requests(const Cas& cas) {
  std::map<std::string, long> sum;
  for (const auto& front : cas.fronts)
    for (const auto& [kind, n] : acme_requests(*front))
      sum[kind] += n;
  return sum;
}

std::map<std::string, long> acme_requests(const test::AcmeFront& front) {
  const auto answer = front.get("/stats");
  if (answer.status != 200)
    throw std::runtime_error("acme-front's GET /stats answered " + std::to_string(answer.status));
  simdjson::dom::parser parser;
  simdjson::dom::object requests;
  if (parser.parse(answer.body)["requests"].get(requests) != simdjson::SUCCESS)
    throw std::runtime_error("acme-front's stats have no requests object: " + answer.body);
  std::map<std::string, long> counts;
  for (auto [kind, count] : requests) {
    int64_t n = 0;
    if (count.get(n) == simdjson::SUCCESS)
      counts[std::string(kind)] = n;
  }
  return counts;
}

std::map<std::string, long> minus(std::map<std::string, long> after,
                                  const std::map<std::string, long>& before) {
  for (auto& [kind, n] : after)
    n -= before.contains(kind) ? before.at(kind) : 0;
  std::erase_if(after, [](const auto& kv) { return kv.second == 0; });
  return after;
}

long total(const std::map<std::string, long>& counts) {
  long sum = 0;
  for (const auto& [kind, n] : counts)
    sum += n;
  return sum;
}

std::string issuer_yaml(const std::string& name, const test::AcmeFront& front,
                        const std::optional<DnsSetup>& dns);

// The namespaces and an ACME ClusterIssuer per CA, as cert-manager's
// documentation writes one, whose server is the front and whose solver is
// HTTP-01, or with `dns` an rfc2136 DNS-01 solver (and its TSIG Secret).
std::string setup_yaml(const Cas& cas, const fleet::FleetSpec& spec,
                       const std::optional<DnsSetup>& dns) {
  std::string yaml;
  auto add_namespace = [&](const std::string& name) {
    yaml += "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + name + "\n---\n";
  };
  add_namespace(spec.cluster_resource_namespace);
  for (unsigned i = 0; i < std::max(1u, spec.namespaces); ++i)
    add_namespace(fleet::namespace_of(i, spec));
  for (unsigned ca = 0; ca < cas.fronts.size(); ++ca) {
    if (ca > 0)
      yaml += "---\n";
    yaml += issuer_yaml(issuer_name(ca), *cas.fronts[ca], dns);
  }
  if (dns) {
    yaml += R"(---
apiVersion: v1
kind: Secret
metadata:
  name: tsig
  namespace: )" +
            spec.cluster_resource_namespace +
            R"(
data:
  secret: )" +
            base64_encode(dns->key.secret) + "\n";
  }
  return yaml;
}

// One ACME ClusterIssuer whose server is `front`.
std::string issuer_yaml(const std::string& name, const test::AcmeFront& front,
                        const std::optional<DnsSetup>& dns) {
  std::string yaml;
  // The front enforces no limit here, and the issuer says so, as an
  // operator tells certmill a CA's limits: its newOrders go several at once.
  yaml += std::string(R"(apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata:
  name: )") +
          name + R"(
  annotations:
    certmill.io/rate-limits: new-orders-per-account=0,certificates-per-domain=0,certificates-per-exact-set=0,failed-authorizations-per-identifier=0
spec:
  acme:
    server: )" +
          front.directory_url +
          R"(
    email: bench@example.com
    caBundle: )" +
          base64_encode(front.tls_certificate_pem()) +
          R"(
    privateKeySecretRef:
      name: )" +
          name + R"(-account
    solvers:
)";
  if (!dns) {
    yaml += R"(    - http01:
        ingress:
          ingressClassName: nginx
)";
    return yaml;
  }
  yaml += R"(    - dns01:
        rfc2136:
          nameserver: 127.0.0.1:)" +
          std::to_string(dns->port) + R"(
          tsigKeyName: )" +
          dns->key.name + R"(
          tsigAlgorithm: )" +
          dns->key.cert_manager_algorithm + R"(
          tsigSecretSecretRef:
            name: tsig
            key: secret
)";
  return yaml;
}

// Certificate `index` of bench_fleet's fleet (ECDSA P-256, one dnsName
// web-I.fleet-K.example.com, and *.web-I.fleet-K.example.com with
// `wildcard`), from the ACME ClusterIssuer.
api::Certificate acme_certificate(unsigned index, const fleet::FleetSpec& spec, bool wildcard,
                                  unsigned cas = 1) {
  api::Certificate crt = fleet::fleet_certificate(index, spec);
  crt.spec.issuer_ref = {issuer_name(index % cas), "ClusterIssuer", "cert-manager.io"};
  if (wildcard)
    crt.spec.dns_names.push_back("*." + crt.spec.dns_names.front());
  return crt;
}

asio::awaitable<Status> create_certificates(k8s::Client& client, const fleet::FleetSpec& spec,
                                            bool wildcard, unsigned cas) {
  unsigned next = 0;
  Status failure;
  auto worker = [&]() -> asio::awaitable<void> {
    while (failure && next < spec.certificates) {
      auto created = co_await client.create(acme_certificate(next++, spec, wildcard, cas));
      if (!created && !k8s::is_conflict(created.error()))
        failure = created.error();
    }
  };
  reactor::TaskGroup workers(co_await asio::this_coro::executor);
  for (unsigned w = 0; w < std::max(1u, spec.concurrency); ++w)
    workers.spawn(worker);
  co_await workers.wait_empty();
  co_return failure;
}

// What the webroot holds under `path`, for Pebble's validation requests.
reactor::HttpReply serve_file(const std::string& webroot, std::string_view path) {
  if (path.find("..") != std::string_view::npos)
    return {404, "text/plain", "not found\n"};
  std::ifstream in(webroot + std::string(path), std::ios::binary);
  if (!in)
    return {404, "text/plain", "not found\n"};
  std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return {200, "text/plain", std::move(body)};
}

void print_by_kind(const char* who, const std::map<std::string, long>& counts, double n) {
  std::fprintf(stderr, "  %s ACME requests by kind:", who);
  for (const auto& [kind, k] : counts)
    std::fprintf(stderr, " %s %ld (%.2f/cert)", kind.c_str(), k, static_cast<double>(k) / n);
  std::fprintf(stderr, "\n");
}

}  // namespace

int main(int argc, char** argv) {
  unsigned count = 1000;
  unsigned shards = 2;
  unsigned namespaces = 50;
  unsigned lego_count = ~0u;
  unsigned lego_parallel = 16;
  Duration timeout = std::chrono::minutes(15);
  Duration lego_timeout = std::chrono::minutes(30);
  std::string certmill = std::string(CERTMILL_BINARY_DIR) + "/tools/certmill";
  std::string kube_sim = std::string(CERTMILL_BINARY_DIR) + "/tools/kube-sim/kube-sim";
  std::string crds = std::string(CERTMILL_SOURCE_DIR) + "/deploy/crds";
  std::string lego = "/usr/bin/lego";
  bool dns01 = false;
  bool wildcard = false;
  unsigned ca_count = 1;
  std::string wrapper;
  std::vector<std::string> controller_flags;
  cli::FlagSet flags("bench_acme",
                     "Issues N ECDSA Certificates over HTTP-01 (or DNS-01) from Pebble (behind\n"
                     "acme-front) with a certmill controller process against kube-sim, then the\n"
                     "same names with lego, and prints Markdown table rows.");
  flags.add("certificates", &count, "Certificates certmill issues");
  flags.add("namespaces", &namespaces, "namespaces they are spread over");
  flags.add("shards", &shards, "the controller's --shards");
  flags.add("timeout", &timeout, "give up when certmill's Certificates are not all Ready by then");
  flags.add("lego-certificates", &lego_count,
            "how many of the same names lego issues (default: all; 0 skips lego)");
  flags.add("lego-parallel", &lego_parallel,
            "lego runs at once; 1 runs them one after another with lego's own HTTP-01 server");
  flags.add("lego-timeout", &lego_timeout, "give up when lego has not issued them all by then");
  flags.add("certmill", &certmill, "the certmill binary");
  flags.add("kube-sim", &kube_sim, "the kube-sim binary");
  flags.add("crds", &crds, "the CRD directory");
  flags.add("lego", &lego, "the lego binary");
  flags.add("dns01", &dns01,
            "prove names by DNS-01 through Debian's BIND (RFC 2136, TSIG) instead of HTTP-01");
  flags.add("wildcard", &wildcard, "with --dns01: each certificate is NAME and *.NAME");
  flags.add("cas", &ca_count,
            "Pebbles the fleet is spread over, a ClusterIssuer each (Pebble 2.4 deadlocks "
            "with thousands of authorizations in one store); more than 1 needs "
            "--lego-certificates 0");
  flags.add("wrapper", &wrapper,
            "a program the controller runs under, e.g. bench/heaptrack-exec (peak RSS is then "
            "the wrapper's and the controller's together)");
  flags.add("controller-flag", &controller_flags,
            "one more flag for `certmill controller`, e.g. --max-concurrent-challenges=1000");
  if (auto exit_code = flags.parse_main(argc, argv))
    return *exit_code;
  if (wildcard && !dns01) {
    std::fprintf(stderr, "bench_acme: --wildcard needs --dns01 (HTTP-01 cannot prove *.NAME)\n");
    return 2;
  }
  if (count == 0 || lego_parallel == 0 || ca_count == 0) {
    std::fprintf(stderr,
                 "bench_acme: --certificates, --lego-parallel and --cas must be at least 1\n");
    return 2;
  }
  lego_count = std::min(lego_count, count);
  if (ca_count > 1 && lego_count > 0) {
    std::fprintf(stderr, "bench_acme: --cas above 1 needs --lego-certificates 0\n");
    return 2;
  }
  if (lego_count > 0 && !std::filesystem::exists(lego)) {
    std::fprintf(stderr,
                 "bench_acme: %s is missing: install Debian's lego (tools/install-deps) "
                 "or pass --lego-certificates 0\n",
                 lego.c_str());
    return 2;
  }

  try {
    // HTTP-01: every name resolves to 127.0.0.1. DNS-01: BIND serves
    // example.com and is Pebble's resolver. Every order is validated afresh.
    std::unique_ptr<test::NamedServer> named;
    std::optional<DnsSetup> dns;
    test::PebbleOptions pebble_options;
    if (dns01) {
      named =
          std::make_unique<test::NamedServer>(test::NamedOptions{.more_zones = {"example.com"}});
      dns = DnsSetup{named->port, named->keys[2]};
      pebble_options.dns_server_port = named->port;
      std::fprintf(stderr, "  BIND on 127.0.0.1:%u serves example.com\n", named->port);
    } else {
      pebble_options.resolve_to_loopback = true;
    }
    pebble_options.authz_reuse = 0;
    Cas cas;
    for (unsigned ca = 0; ca < ca_count; ++ca) {
      // One HTTP-01 port for all: the controller answers every CA there.
      if (ca > 0)
        pebble_options.http_port = cas.pebbles.front()->http_port;
      cas.pebbles.push_back(std::make_unique<test::Pebble>(pebble_options));
      cas.fronts.push_back(std::make_unique<test::AcmeFront>(
          *cas.pebbles.back(),
          std::vector<std::string>{"--new-orders-per-account=0", "--certificates-per-domain=0",
                                   "--certificates-per-exact-set=0",
                                   "--failed-authorizations-per-identifier=0",
                                   "--log-level=warn"}));
      std::fprintf(stderr, "  Pebble on %s, acme-front on %s, HTTP-01 on 127.0.0.1:%u\n",
                   cas.pebbles.back()->directory_url.c_str(),
                   cas.fronts.back()->directory_url.c_str(), cas.pebbles.back()->http_port);
    }
    const test::Pebble& pebble = *cas.pebbles.front();
    const test::AcmeFront& front = *cas.fronts.front();

    fleet::KubeSimProcess sim(kube_sim, {"--history", std::to_string(60 * count + 10000)});
    auto config = k8s::load_client_config(sim.kubeconfig, "", k8s::process_environment());
    if (!config)
      throw std::runtime_error(config.error().message());
    reactor::Reactor reactor(1);
    auto http = k8s::HttpClient::create(reactor.shard(0).executor(), *config);
    if (!http)
      throw std::runtime_error(http.error().message());
    k8s::Client client(std::move(*http));
    fleet::ReadyCounter counter(reactor);
    // lego's webroot, served on Pebble's HTTP-01 port; it outlives the reactor's run.
    std::unique_ptr<reactor::HttpServer> webroot_server;
    reactor.start();
    struct StopReactor {
      reactor::Reactor& r;
      ~StopReactor() {
        r.shutdown(std::chrono::seconds(2), std::chrono::seconds(2)).get();
        r.join();
      }
    } stop_reactor{reactor};
    auto on_shard = [&](auto make) {
      return reactor::run_and_wait(reactor.shard(0).executor(), make);
    };

    fleet::FleetSpec spec;
    spec.certificates = count;
    spec.namespaces = namespaces;
    spec.ingresses = 0;
    auto crds_made = on_shard([&] { return fleet::apply_directory(client.http(), crds); });
    if (!crds_made)
      throw std::runtime_error("creating the CRDs: " + crds_made.error().message());
    auto setup =
        on_shard([&] { return fleet::apply_yaml(client.http(), setup_yaml(cas, spec, dns)); });
    if (!setup)
      throw std::runtime_error("creating the ClusterIssuer: " + setup.error().message());
    const auto create_start = Clock::now();
    Status made = on_shard([&] { return create_certificates(client, spec, wildcard, ca_count); });
    if (!made)
      throw std::runtime_error("creating the Certificates: " + made.error().message());
    std::fprintf(stderr, "  created %u Certificates in %.1f s\n", count,
                 seconds_since(create_start));
    counter.start(reactor, client);

    // certmill: the controller answers HTTP-01 itself on Pebble's port.
    const auto acme_before = acme_requests(cas);
    auto writes_before = on_shard([&] { return fleet::kube_sim_writes(client.http()); });
    const auto start = Clock::now();
    std::vector<std::string> controller_args{
        certmill, "controller", "--kubeconfig", sim.kubeconfig, "--leader-elect=false", "--shards",
        std::to_string(shards),
        // The benchmark measures certmill, not a client-side limit.
        "--kube-api-qps", "100000", "--kube-api-burst", "100000", "--metrics-listen-address",
        "127.0.0.1:0", "--healthz-listen-address", "127.0.0.1:0", "--log-level", "warn"};
    if (dns) {
      // BIND finds zones and is every zone's authoritative server, on its port.
      controller_args.insert(
          controller_args.end(),
          {"--dns01-recursive-nameservers", "127.0.0.1:" + std::to_string(dns->port),
           "--dns01-authoritative-port", std::to_string(dns->port)});
    } else {
      // Its self-check asks what Pebble asks: pebble-challtestsrv's names on
      // Pebble's HTTP-01 port.
      controller_args.insert(
          controller_args.end(),
          {"--http01-listen-address", "127.0.0.1:" + std::to_string(pebble.http_port),
           "--acme-http01-solver-nameservers", "127.0.0.1:" + std::to_string(pebble.dns_port),
           "--acme-http01-self-check-port", std::to_string(pebble.http_port)});
    }
    controller_args.insert(controller_args.end(), controller_flags.begin(), controller_flags.end());
    if (!wrapper.empty())
      controller_args.insert(controller_args.begin(), wrapper);
    auto controller = std::make_unique<fleet::ChildProcess>(controller_args, false);
    const auto give_up = start + std::chrono::duration_cast<Clock::duration>(timeout);
    auto next_report = Clock::now();
    while (counter.ready() < static_cast<long>(count)) {
      if (Clock::now() > give_up) {
        std::fprintf(stderr,
                     "bench_acme: only %ld of %u Certificates Ready after %s; ACME requests so "
                     "far: %ld\n",
                     counter.ready(), count, format_duration(timeout).c_str(),
                     total(minus(acme_requests(cas), acme_before)));
        return 1;
      }
      if (Clock::now() >= next_report) {
        std::fprintf(stderr, "  certmill: ready %ld/%u (%.0f s, %ld ACME requests)\n",
                     counter.ready(), count, seconds_since(start),
                     total(minus(acme_requests(cas), acme_before)));
        next_report += std::chrono::seconds(2);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    const double certmill_s = seconds_since(start);
    const ProcessUsage at_ready = usage_of(controller->pid());
    // What the controller still does once all are Ready (taking solver
    // Ingresses down, renewalInfo) belongs to these issuances: wait until
    // neither the CA nor the API server hears from it for 3 s (at most 60 s).
    std::map<std::string, long> acme_seen;
    long writes_seen = -1;
    for (int quiet = 0; quiet < 6 && seconds_since(start) - certmill_s < 60;) {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      auto acme_now = acme_requests(cas);
      auto w = on_shard([&] { return fleet::kube_sim_writes(client.http()); });
      const long writes_now = w ? w->total : -1;
      quiet = acme_now == acme_seen && writes_now == writes_seen ? quiet + 1 : 0;
      acme_seen = std::move(acme_now);
      writes_seen = writes_now;
    }
    const ProcessUsage settled = usage_of(controller->pid());
    const auto certmill_acme = minus(acme_requests(cas), acme_before);
    auto writes_after = on_shard([&] { return fleet::kube_sim_writes(client.http()); });
    controller->stop();
    if (!writes_before || !writes_after)
      throw std::runtime_error("kube-sim's stats are unreadable");
    const double n = count;
    std::fprintf(stderr,
                 "  certmill: all %u Ready in %.2f s; controller CPU %.2f s at Ready, %.2f s "
                 "once settled; peak RSS %.1f MiB\n",
                 count, certmill_s, at_ready.cpu_seconds, settled.cpu_seconds,
                 settled.peak_rss_mib);
    print_by_kind("certmill", certmill_acme, n);
    for (const auto& [verb, k] : writes_after->by_verb) {
      const long d =
          k - (writes_before->by_verb.contains(verb) ? writes_before->by_verb.at(verb) : 0);
      if (d)
        std::fprintf(stderr, "  %-36s %8ld (%.2f per certificate)\n", verb.c_str(), d,
                     static_cast<double>(d) / n);
    }
    std::printf(
        "| client | names | time to all issued | certificates/s | CPU s | peak RSS | "
        "ACME requests / cert | API writes / cert |\n");
    std::printf("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    std::printf("| certmill | %u | %.2f s | %.1f | %.2f | %.1f MiB | %.2f | %.2f |\n", count,
                certmill_s, n / certmill_s, settled.cpu_seconds, settled.peak_rss_mib,
                static_cast<double>(total(certmill_acme)) / n,
                static_cast<double>(writes_after->total - writes_before->total) / n);
    std::fflush(stdout);
    if (lego_count == 0)
      return 0;

    // lego: the same names, against the same Pebble through the same front.
    test::ScratchDir lego_dir;
    LegoSetup lego_setup;
    lego_setup.binary = lego;
    lego_setup.server = front.directory_url;
    lego_setup.ca_file = lego_dir.write("front-ca.pem", front.tls_certificate_pem());
    lego_setup.path = lego_dir.path("lego");
    lego_setup.webroot = lego_dir.path("webroot");
    lego_setup.http_port = pebble.http_port;
    lego_setup.parallel = lego_parallel;
    lego_setup.dns = dns;
    lego_setup.wildcard = wildcard;
    if (dns)
      lego_setup.per_run_bound = std::chrono::seconds(600);
    lego_setup.bound = std::chrono::duration_cast<Clock::duration>(lego_timeout);
    std::filesystem::create_directories(lego_setup.webroot + "/.well-known/acme-challenge");
    std::filesystem::create_directories(lego_dir.path("logs"));
    if (lego_parallel > 1 && !dns) {
      auto listening = reactor::HttpServer::listen(reactor.shard(0).executor(),
                                                   "127.0.0.1:" + std::to_string(pebble.http_port),
                                                   {.flag = "the webroot server"});
      if (!listening)
        throw std::runtime_error(listening.error().message());
      webroot_server = std::move(*listening);
      webroot_server->route_prefix(
          "/.well-known/acme-challenge/",
          [root = lego_setup.webroot](std::string_view path) { return serve_file(root, path); });
      reactor.spawn_service(
          reactor.shard(0),
          [s = webroot_server.get()]() -> asio::awaitable<void> { co_await s->run(); });
    }
    std::vector<std::string> names;
    for (unsigned i = 0; i < lego_count; ++i)
      names.push_back(acme_certificate(i, spec, false).spec.dns_names.front());
    const auto lego_before = acme_requests(front);
    const LegoResult lr = run_lego(lego_setup, names, lego_dir.path("logs"));
    if (!lr.ok)
      return 1;
    const auto lego_acme = minus(acme_requests(front), lego_before);
    const double ln = lego_count;
    std::fprintf(stderr,
                 "  lego: %u names in %.2f s, %u at once; CPU %.2f s summed; largest peak RSS of "
                 "one run %.1f MiB; first run (registers the account) %.2f s, slowest %.2f s\n",
                 lego_count, lr.seconds, lego_parallel, lr.cpu_seconds, lr.peak_rss_mib,
                 lr.first_run_s, lr.slowest_run_s);
    print_by_kind("lego", lego_acme, ln);
    std::printf(
        "| lego (%u at once) | %u | %.2f s | %.2f | %.2f | %.1f MiB (one run) | %.2f | — |\n",
        lego_parallel, lego_count, lr.seconds, ln / lr.seconds, lr.cpu_seconds, lr.peak_rss_mib,
        static_cast<double>(total(lego_acme)) / ln);
    // ACME requests per certificate by kind, side by side.
    std::printf("\n| ACME requests / cert | certmill | lego |\n|---|---:|---:|\n");
    std::map<std::string, std::pair<long, long>> kinds;
    for (const auto& [kind, k] : certmill_acme)
      kinds[kind].first = k;
    for (const auto& [kind, k] : lego_acme)
      kinds[kind].second = k;
    for (const auto& [kind, k] : kinds)
      std::printf("| %s | %.2f | %.2f |\n", kind.c_str(), static_cast<double>(k.first) / n,
                  static_cast<double>(k.second) / ln);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_acme: %s\n", e.what());
    return 1;
  }
}
