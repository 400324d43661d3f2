// The fleet benchmark: N ECDSA Certificates from a CA ClusterIssuer against
// kube-sim, issued by a `certmill controller` process. Measures the time from
// the controller's start until every Certificate is Ready, certificates per
// second, API writes per certificate (kube-sim's accounting), the
// controller's CPU seconds and peak RSS, and RSS per certificate (peak RSS
// over the same controller's with the bootstrap alone); then the peak RSS of
// a controller restarted over the converged fleet. The CA is Ready before the
// fleet is created, as in a cluster that is already running. /metrics is
// scraped as Prometheus would, so the peaks include what a scrape costs.
// Prints one Markdown table row per size; bench/fleet.sh runs it and plots.
#include <atomic>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>
#include <unistd.h>

#include "k8s/kubeconfig.hpp"
#include "reactor/run_on.hpp"
#include "tests/support/plain_http.hpp"
#include "tools/cli/flags.hpp"
#include "tools/fleet/apply.hpp"
#include "tools/fleet/child_process.hpp"
#include "tools/fleet/fleet.hpp"
#include "tools/fleet/free_port.hpp"
#include "tools/fleet/kube_sim_process.hpp"
#include "tools/fleet/process_usage.hpp"
#include "tools/fleet/ready_counter.hpp"
#include "tools/fleet/sim_stats.hpp"

using namespace certmill;
using Clock = std::chrono::steady_clock;

namespace {

using fleet::ProcessUsage;
using fleet::usage_of;

// A gauge's value from the exposition text; -1 when absent.
double metric(const std::string& text, const std::string& name) {
  const auto at = text.find("\n" + name + " ");
  return at == std::string::npos ? -1 : std::stod(text.substr(at + name.size() + 2));
}

std::unique_ptr<fleet::ChildProcess> start_controller(const std::string& certmill,
                                                      const std::string& kubeconfig,
                                                      unsigned shards,
                                                      unsigned short metrics_port = 0,
                                                      const std::string& wrapper = {}) {
  std::vector<std::string> argv;
  if (!wrapper.empty())
    argv.push_back(wrapper);
  const std::vector<std::string> command{
      certmill, "controller", "--kubeconfig", kubeconfig, "--leader-elect=false", "--shards",
      std::to_string(shards),
      // The benchmark measures certmill, not a client-side limit.
      "--kube-api-qps", "100000", "--kube-api-burst", "100000", "--metrics-listen-address",
      "127.0.0.1:" + std::to_string(metrics_port), "--healthz-listen-address", "127.0.0.1:0",
      "--http01-listen-address", "127.0.0.1:0", "--log-level", "warn"};
  argv.insert(argv.end(), command.begin(), command.end());
  return std::make_unique<fleet::ChildProcess>(std::move(argv), false);
}

bool wait_ready(fleet::ReadyCounter& counter, long want, std::chrono::seconds bound,
                const char* what) {
  const auto give_up = Clock::now() + bound;
  auto next_report = Clock::now();
  while (counter.ready() < want) {
    if (Clock::now() > give_up) {
      std::fprintf(stderr, "bench_fleet: %s: only %ld of %ld Ready after %llds\n", what,
                   counter.ready(), want, static_cast<long long>(bound.count()));
      return false;
    }
    if (Clock::now() >= next_report) {
      std::fprintf(stderr, "  %s: %ld / %ld Ready\n", what, counter.ready(), want);
      next_report += std::chrono::seconds(2);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

// GETs /metrics every `every` until stopped, as Prometheus does, and counts
// the scrapes and their largest body.
class Scraper {
 public:
  Scraper(unsigned short port, std::chrono::seconds every) {
    if (every.count() == 0)
      return;
    thread_ = std::thread([this, port, every] {
      for (auto next = Clock::now() + every; !stop_; next += every) {
        while (!stop_ && Clock::now() < next)
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
        if (stop_)
          break;
        try {
          const auto answer = test::plain_http_get(port, "/metrics");
          if (answer.status == 200) {
            ++scrapes_;
            largest_ = std::max(largest_.load(), answer.body.size());
            continue;
          }
        } catch (const std::exception&) {
        }
        ++failures_;
      }
    });
  }
  ~Scraper() { stop(); }
  void stop() {
    stop_ = true;
    if (thread_.joinable())
      thread_.join();
  }
  std::string summary() const {
    return std::to_string(scrapes_.load()) + " scrapes of /metrics (largest " +
           std::to_string(largest_.load() >> 10) + " KiB), " + std::to_string(failures_.load()) +
           " failed";
  }

 private:
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<unsigned> scrapes_{0};
  std::atomic<unsigned> failures_{0};
  std::atomic<std::size_t> largest_{0};
};

}  // namespace

int main(int argc, char** argv) {
  unsigned count = 1000;
  unsigned shards = 2;
  unsigned namespaces = 50;
  std::string certmill = std::string(CERTMILL_BINARY_DIR) + "/tools/certmill";
  std::string kube_sim = std::string(CERTMILL_BINARY_DIR) + "/tools/kube-sim/kube-sim";
  std::string crds = std::string(CERTMILL_SOURCE_DIR) + "/deploy/crds";
  cli::FlagSet flags("bench_fleet",
                     "Issues N ECDSA Certificates from a CA ClusterIssuer with a certmill\n"
                     "controller process against kube-sim and prints a Markdown table row.");
  flags.add("certificates", &count, "Certificates in the fleet");
  flags.add("namespaces", &namespaces, "namespaces they are spread over");
  flags.add("shards", &shards, "the controller's --shards");
  flags.add("certmill", &certmill, "the certmill binary");
  flags.add("kube-sim", &kube_sim, "the kube-sim binary");
  flags.add("crds", &crds, "the CRD directory");
  unsigned scrape_every = 5;
  flags.add("scrape-every", &scrape_every,
            "seconds between two scrapes of the controllers' /metrics (0: none)");
  std::string wrapper;
  flags.add("wrapper", &wrapper,
            "a program (path) that runs the measured controllers and execs them, so the "
            "stop signal reaches them, e.g. bench/heaptrack-exec (CPU and RSS are then the "
            "wrapper's)");
  if (auto exit_code = flags.parse_main(argc, argv))
    return *exit_code;

  // kube-sim keeps every event of the run for resuming watches.
  fleet::KubeSimProcess sim(kube_sim, {"--history", std::to_string(20 * count + 10000)});
  auto config = k8s::load_client_config(sim.kubeconfig, "", k8s::process_environment());
  if (!config) {
    std::fprintf(stderr, "bench_fleet: %s\n", config.error().message().c_str());
    return 1;
  }
  reactor::Reactor reactor(1);
  auto http = k8s::HttpClient::create(reactor.shard(0).executor(), *config);
  if (!http) {
    std::fprintf(stderr, "bench_fleet: %s\n", http.error().message().c_str());
    return 1;
  }
  k8s::Client client(std::move(*http));
  fleet::ReadyCounter counter(reactor);
  reactor.start();
  auto on_shard = [&](auto make) {
    return reactor::run_and_wait(reactor.shard(0).executor(), make);
  };
  auto stop_reactor = [&] {
    reactor.shutdown(std::chrono::seconds(2), std::chrono::seconds(2)).get();
    reactor.join();
  };

  auto crds_made = on_shard([&] { return fleet::apply_directory(client.http(), crds); });
  fleet::FleetSpec bootstrap;
  bootstrap.certificates = 0;
  bootstrap.ingresses = 0;
  bootstrap.namespaces = namespaces;
  Status made = crds_made ? on_shard([&] { return fleet::create_fleet(client, bootstrap); })
                          : Status(crds_made.error());
  if (!made) {
    std::fprintf(stderr, "bench_fleet: setting up: %s\n", made.error().message().c_str());
    stop_reactor();
    return 1;
  }
  counter.start(reactor, client);

  // The bootstrap alone: the root CA, and the controller's baseline memory.
  ProcessUsage baseline;
  {
    auto controller = start_controller(certmill, sim.kubeconfig, shards);
    if (!wait_ready(counter, 1, std::chrono::seconds(60), "root CA")) {
      stop_reactor();
      return 1;
    }
    std::this_thread::sleep_for(std::chrono::seconds(1));
    baseline = usage_of(controller->pid());
  }

  fleet::FleetSpec spec = bootstrap;
  spec.certificates = count;
  const auto create_start = Clock::now();
  made = on_shard([&] { return fleet::create_fleet(client, spec); });
  if (!made) {
    std::fprintf(stderr, "bench_fleet: creating the fleet: %s\n", made.error().message().c_str());
    stop_reactor();
    return 1;
  }
  std::fprintf(stderr, "  created %u Certificates in %.1f s\n", count,
               std::chrono::duration<double>(Clock::now() - create_start).count());
  auto before = on_shard([&] { return fleet::kube_sim_writes(client.http()); });

  const auto start = Clock::now();
  const unsigned short fleet_metrics_port = fleet::free_port();
  auto controller = start_controller(certmill, sim.kubeconfig, shards, fleet_metrics_port, wrapper);
  Scraper scraper(fleet_metrics_port, std::chrono::seconds(scrape_every));
  if (!wait_ready(counter, count + 1, std::chrono::seconds(30 + count / 10), "fleet")) {
    stop_reactor();
    return 1;
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  const ProcessUsage used = usage_of(controller->pid());
  // What stays once the fleet is converged and the work has drained.
  std::this_thread::sleep_for(std::chrono::seconds(3));
  const ProcessUsage settled = usage_of(controller->pid());
  scraper.stop();
  std::fprintf(
      stderr, "  controller RSS: peak %.1f MiB, %.1f MiB when all were Ready, %.1f MiB 3 s later\n",
      used.peak_rss_mib, used.rss_mib, settled.rss_mib);
  std::fprintf(stderr, "  while issuing: %s\n", scraper.summary().c_str());
  controller->stop();
  auto after = on_shard([&] { return fleet::kube_sim_writes(client.http()); });

  // A restart over the converged fleet: the memory a long-running controller
  // holds for it, and the writes it makes (none should be needed).
  const unsigned short metrics_port = fleet::free_port();
  controller = start_controller(certmill, sim.kubeconfig, shards, metrics_port, wrapper);
  const auto restart = Clock::now();
  double last_cpu = -1;
  for (int quiet = 0; quiet < 4 && Clock::now() - restart < std::chrono::seconds(120);) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const double cpu = usage_of(controller->pid()).cpu_seconds;
    quiet = cpu - last_cpu < 0.02 ? quiet + 1 : 0;
    last_cpu = cpu;
  }
  const ProcessUsage restarted = usage_of(controller->pid());
  double heap = -1;
  try {
    heap =
        metric(test::plain_http_get(metrics_port, "/metrics").body, "certmill_heap_in_use_bytes");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "  scraping the restarted controller failed: %s\n", e.what());
  }
  const double restart_peak = usage_of(controller->pid()).peak_rss_mib;
  controller->stop();
  auto after_restart = on_shard([&] { return fleet::kube_sim_writes(client.http()); });
  stop_reactor();
  if (after && after_restart) {
    std::fprintf(stderr,
                 "  restart over the converged fleet: %ld writes, %.2f CPU s, peak RSS %.1f "
                 "MiB (a scrape included), RSS %.1f MiB once quiet (%.1f KiB per certificate "
                 "over the bootstrap-only controller), heap in use %.1f MiB\n",
                 after_restart->total - after->total, restarted.cpu_seconds, restart_peak,
                 restarted.rss_mib, (restarted.rss_mib - baseline.rss_mib) * 1024.0 / count,
                 heap / 1048576.0);
  }
  for (const auto* stats : {&before, &after}) {
    if (!*stats) {
      std::fprintf(stderr, "bench_fleet: kube-sim's stats %s the run are unreadable: %s\n",
                   stats == &before ? "before" : "after", (*stats).error().message().c_str());
      return 1;
    }
  }
  const double n = count;
  const double writes = static_cast<double>(after->total - before->total);
  const double events = static_cast<double>(after->events - before->events);
  const double reads = static_cast<double>(after->reads - before->reads);
  std::printf("| %u | %.2f | %.0f | %.2f | %.2f | %.2f | %.2f | %.1f | %.1f | %.1f | %.1f |\n",
              count, seconds, n / seconds, writes / n, events / n, reads / n, used.cpu_seconds,
              used.peak_rss_mib, baseline.peak_rss_mib,
              (used.peak_rss_mib - baseline.peak_rss_mib) * 1024.0 / n, restart_peak);
  for (const auto& [verb, k] : after->by_verb) {
    const long d = k - (before->by_verb.contains(verb) ? before->by_verb.at(verb) : 0);
    if (d)
      std::fprintf(stderr, "  %-36s %8ld (%.2f per certificate)\n", verb.c_str(), d,
                   static_cast<double>(d) / n);
  }
  return 0;
}
