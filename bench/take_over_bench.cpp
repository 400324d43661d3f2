// The take-over benchmark: a cluster as cert-manager leaves it (a CA
// ClusterIssuer and N issued Certificates with their Secrets and
// CertificateRequests, tools/fleet/cert_manager_state) in kube-sim, then a
// `certmill controller` process started over it, as an operator does after
// scaling cert-manager's controller to zero. Measures the writes certmill
// makes (target: none, since every Certificate is Ready), the time until
// every Certificate was reconciled and the controller is quiet, its CPU
// seconds and peak RSS. Prints one Markdown table row.
#include <cstdio>
#include <regex>
#include <thread>

#include "k8s/kubeconfig.hpp"
#include "reactor/reactor.hpp"
#include "reactor/run_on.hpp"
#include "tests/support/plain_http.hpp"
#include "tools/cli/flags.hpp"
#include "tools/fleet/apply.hpp"
#include "tools/fleet/cert_manager_state.hpp"
#include "tools/fleet/child_process.hpp"
#include "tools/fleet/free_port.hpp"
#include "tools/fleet/kube_sim_process.hpp"
#include "tools/fleet/process_usage.hpp"
#include "tools/fleet/sim_stats.hpp"

using namespace certmill;
using Clock = std::chrono::steady_clock;

namespace {

// certmanager_controller_sync_call_count{controller="certificates"}: every
// reconcile of a Certificate; -1 when the scrape fails.
long certificate_syncs(unsigned short port) {
  static const std::regex line(
      R"(certmanager_controller_sync_call_count\{controller="certificates"\} ([0-9.e+]+))");
  try {
    const auto answer = test::plain_http_get(port, "/metrics");
    std::smatch m;
    if (answer.status == 200 && std::regex_search(answer.body, m, line))
      return static_cast<long>(std::stod(m[1]));
  } catch (const std::exception&) {
  }
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  unsigned count = 1000;
  unsigned shards = 2;
  unsigned namespaces = 50;
  std::string certmill = std::string(CERTMILL_BINARY_DIR) + "/tools/certmill";
  std::string kube_sim = std::string(CERTMILL_BINARY_DIR) + "/tools/kube-sim/kube-sim";
  std::string crds = std::string(CERTMILL_SOURCE_DIR) + "/deploy/crds";
  cli::FlagSet flags("bench_take_over",
                     "Starts a certmill controller process over N Certificates that\n"
                     "cert-manager issued (in kube-sim) and counts the writes it makes.");
  flags.add("certificates", &count, "Certificates cert-manager issued");
  flags.add("namespaces", &namespaces, "namespaces they are spread over");
  flags.add("shards", &shards, "the controller's --shards");
  flags.add("certmill", &certmill, "the certmill binary");
  flags.add("kube-sim", &kube_sim, "the kube-sim binary");
  flags.add("crds", &crds, "the CRD directory");
  if (auto exit_code = flags.parse_main(argc, argv))
    return *exit_code;

  fleet::KubeSimProcess sim(kube_sim, {"--history", std::to_string(10 * count + 10000)});
  auto config = k8s::load_client_config(sim.kubeconfig, "", k8s::process_environment());
  if (!config) {
    std::fprintf(stderr, "bench_take_over: %s\n", config.error().message().c_str());
    return 1;
  }
  reactor::Reactor reactor(1);
  auto http = k8s::HttpClient::create(reactor.shard(0).executor(), *config);
  if (!http) {
    std::fprintf(stderr, "bench_take_over: %s\n", http.error().message().c_str());
    return 1;
  }
  reactor.start();
  auto on_shard = [&](auto make) {
    return reactor::run_and_wait(reactor.shard(0).executor(), make);
  };
  auto stop_reactor = [&] {
    reactor.shutdown(std::chrono::seconds(2), std::chrono::seconds(2)).get();
    reactor.join();
  };
  auto fail = [&](const std::string& what, const Error& error) {
    std::fprintf(stderr, "bench_take_over: %s: %s\n", what.c_str(), error.message().c_str());
    stop_reactor();
    return 1;
  };

  auto crds_made = on_shard([&] { return fleet::apply_directory(**http, crds); });
  if (!crds_made)
    return fail("applying the CRDs", crds_made.error());
  fleet::CertManagerFleet spec{.certificates = count, .namespaces = {}, .concurrency = 64};
  std::string namespaces_yaml = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: kube-system\n";
  for (unsigned i = 0; i < std::max(1u, namespaces); ++i) {
    spec.namespaces.push_back("taken-" + std::to_string(i));
    namespaces_yaml +=
        "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + spec.namespaces.back() + "\n";
  }
  auto namespaces_made = on_shard([&] { return fleet::apply_yaml(**http, namespaces_yaml); });
  if (!namespaces_made)
    return fail("creating the namespaces", namespaces_made.error());
  const Time now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  auto ca = fleet::make_cert_manager_ca(now);
  if (!ca)
    return fail("making the CA", ca.error());
  const auto setup_start = Clock::now();
  auto next_report = setup_start;
  Status written = on_shard([&] {
    return fleet::write_cert_manager_fleet(**http, *ca, spec, now, [&](unsigned done) {
      if (Clock::now() >= next_report) {
        std::fprintf(stderr, "  cert-manager's state: %u / %u Certificates written\n", done, count);
        next_report += std::chrono::seconds(2);
      }
    });
  });
  if (!written)
    return fail("writing cert-manager's state", written.error());
  std::fprintf(stderr, "  wrote cert-manager's state for %u Certificates in %.1f s\n", count,
               std::chrono::duration<double>(Clock::now() - setup_start).count());
  auto before = on_shard([&] { return fleet::kube_sim_writes(**http); });
  if (!before)
    return fail("reading kube-sim's stats", before.error());

  const unsigned short metrics_port = fleet::free_port();
  const auto start = Clock::now();
  fleet::ChildProcess controller(
      {certmill, "controller", "--kubeconfig", sim.kubeconfig, "--leader-elect=false", "--shards",
       std::to_string(shards), "--metrics-listen-address",
       "127.0.0.1:" + std::to_string(metrics_port), "--healthz-listen-address", "127.0.0.1:0",
       "--http01-listen-address", "127.0.0.1:0", "--log-level", "warn"},
      false);
  // Every Certificate reconciled at least once, then the controller quiet:
  // two seconds with less than 20 ms of CPU. /metrics is not scraped once
  // the count is reached: a scrape of 10,000 Certificates' series costs the
  // controller about 17 ms.
  long syncs = 0;
  double seconds = -1;
  double last_cpu = -1;
  int quiet = 0;
  next_report = Clock::now();
  while (Clock::now() - start < std::chrono::seconds(60 + count / 50)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    if (seconds < 0)
      syncs = certificate_syncs(metrics_port);
    if (seconds < 0 && syncs >= static_cast<long>(count))
      seconds = std::chrono::duration<double>(Clock::now() - start).count();
    const double cpu = fleet::usage_of(controller.pid()).cpu_seconds;
    quiet = seconds >= 0 && cpu - last_cpu < 0.02 ? quiet + 1 : 0;
    last_cpu = cpu;
    if (quiet >= 4)
      break;
    if (Clock::now() >= next_report) {
      std::fprintf(stderr, "  certmill: %ld of %u Certificates reconciled, %.1f CPU s\n",
                   std::max(0L, syncs), count, cpu);
      next_report += std::chrono::seconds(2);
    }
  }
  const fleet::ProcessUsage used = fleet::usage_of(controller.pid());
  controller.stop();
  if (seconds < 0) {
    std::fprintf(stderr, "bench_take_over: only %ld of %u Certificates were reconciled\n", syncs,
                 count);
    stop_reactor();
    return 1;
  }
  auto after = on_shard([&] { return fleet::kube_sim_writes(**http); });
  stop_reactor();
  if (!after) {
    std::fprintf(stderr, "bench_take_over: kube-sim's stats: %s\n",
                 after.error().message().c_str());
    return 1;
  }
  const long writes = after->total - before->total - (after->events - before->events);
  const long events = after->events - before->events;
  std::printf("| %u | %.2f | %ld | %ld | %ld | %.2f | %.1f |\n", count, seconds, writes, events,
              after->reads - before->reads, used.cpu_seconds, used.peak_rss_mib);
  for (const auto& [verb, k] : after->by_verb) {
    const long d = k - (before->by_verb.contains(verb) ? before->by_verb.at(verb) : 0);
    if (d)
      std::fprintf(stderr, "  %-36s %8ld\n", verb.c_str(), d);
  }
  return 0;
}
