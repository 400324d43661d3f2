// certmill-demo: the README's first command, a program of its own so that the
// shipped controller links no test harness. Runs certmill's main job on an
// embedded local setup: starts kube-sim (this build's), creates the CRDs,
// cert-manager's SelfSigned → CA bootstrap, a fleet of ECDSA Certificates and
// a few annotated Ingresses, runs the controller in this process, shows
// progress until every Certificate is Ready, then a summary: how many, how
// long, how many API writes, where the Secrets and the metrics are.
#include <cstdio>
#include <filesystem>
#include <future>
#include <optional>
#include <thread>
#include <unistd.h>

#include "controller/http_endpoints.hpp"
#include "controller/runtime/sharded_controller.hpp"
#include "k8s/kubeconfig.hpp"
#include "reactor/run_on.hpp"
#include "reactor/signals.hpp"
#include "tools/cli/command.hpp"
#include "tools/fleet/apply.hpp"
#include "tools/fleet/fleet.hpp"
#include "tools/fleet/kube_sim_process.hpp"
#include "tools/fleet/ready_counter.hpp"
#include "tools/fleet/sim_stats.hpp"

namespace certmill::cmd {

namespace asio = boost::asio;
namespace {

using Clock = std::chrono::steady_clock;

std::string beside_this_binary(const std::string& relative, const std::string& fallback) {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const auto candidate = self.parent_path() / relative;
    if (std::filesystem::exists(candidate))
      return candidate.string();
  }
  return fallback;
}

void step(const char* what) {
  std::printf("\n== %s\n", what);
  std::fflush(stdout);
}

// One line that rewrites itself on a terminal, a line a second otherwise;
// either way it ends on the last count shown, even one that came within
// the second (a fast machine's whole run).
class ProgressLine {
 public:
  explicit ProgressLine(bool tty) : tty_(tty) {}
  void show(const char* label, long done, long total, double seconds) {
    last_ = Count{label, done, total, seconds};
    if (tty_) {
      const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
      std::printf("\r  %-8s %6ld / %-6ld %5.1f%%  %7.1f/s  %6.1f s ", label, done, total,
                  total ? 100.0 * static_cast<double>(done) / static_cast<double>(total) : 100.0,
                  rate, seconds);
      std::fflush(stdout);
    } else if (seconds >= next_line_) {
      print_line();
      next_line_ = seconds + 1;
    } else {
      last_printed_ = false;
    }
  }
  void finish() {
    if (tty_)
      std::printf("\n");
    else if (last_ && !last_printed_)
      print_line();
    std::fflush(stdout);
    next_line_ = 0;
    last_.reset();
  }

 private:
  struct Count {
    const char* label;
    long done, total;
    double seconds;
  };
  void print_line() {
    const Count& c = *last_;
    const double rate = c.seconds > 0 ? static_cast<double>(c.done) / c.seconds : 0;
    std::printf("  %-8s %6ld / %-6ld %7.1f/s  %6.1f s\n", c.label, c.done, c.total, rate,
                c.seconds);
    std::fflush(stdout);
    last_printed_ = true;
  }

  bool tty_;
  double next_line_ = 0;
  std::optional<Count> last_;
  bool last_printed_ = false;
};

}  // namespace

int demo(Args args) {
  fleet::FleetSpec spec;
  unsigned shards = 0;
  std::string kube_sim = beside_this_binary(
      "kube-sim/kube-sim", std::string(CERTMILL_BINARY_DIR) + "/tools/kube-sim/kube-sim");
  std::string crds = std::string(CERTMILL_SOURCE_DIR) + "/deploy/crds";
  std::string metrics_address = "127.0.0.1:0";
  bool exit_when_ready = false;
  Duration timeout = std::chrono::minutes(10);
  LogFlags logging;
  logging.level = "warn";
  cli::FlagSet flags(
      "certmill-demo",
      "Runs certmill's main job on a local, embedded setup: kube-sim as the API server,\n"
      "cert-manager's SelfSigned -> CA bootstrap, a fleet of Certificates and annotated\n"
      "Ingresses, and the controller, with progress until all are Ready and a summary.\n"
      "Afterwards the controller keeps the fleet renewed until Ctrl-C.");
  flags.add("certificates", &spec.certificates, "Certificates in the fleet");
  flags.add("namespaces", &spec.namespaces, "namespaces they are spread over");
  flags.add("ingresses", &spec.ingresses, "annotated Ingresses, one Certificate each");
  flags.add("shards", &shards, "reactor shards (threads); 0 means one per core");
  flags.add("kube-sim", &kube_sim, "the kube-sim binary to start");
  flags.add("crds", &crds, "directory of the CRDs to create");
  flags.add("metrics-listen-address", &metrics_address, "host:port for /metrics");
  flags.add("timeout", &timeout, "give up if the fleet is not Ready by then");
  flags.add("exit-when-ready", &exit_when_ready, "stop after the summary instead of serving");
  logging.add_to(flags);
  if (int code = parse_or_exit(flags, args, "certmill-demo"); code >= 0)
    return code;
  logging.apply();
  const bool tty = isatty(STDOUT_FILENO) != 0;

  step("starting kube-sim, a Kubernetes API server on loopback");
  std::unique_ptr<fleet::KubeSimProcess> sim;
  try {
    sim = std::make_unique<fleet::KubeSimProcess>(kube_sim);
  } catch (const std::exception& e) {
    std::fprintf(stderr,
                 "certmill-demo: %s\nBuild it with `cmake --build --preset default --target "
                 "kube-sim`, or pass --kube-sim.\n",
                 e.what());
    return 1;
  }
  std::printf("  %s, kubeconfig %s\n", sim->url.c_str(), sim->kubeconfig.c_str());
  auto config = k8s::load_client_config(sim->kubeconfig, "", k8s::process_environment());
  if (!config) {
    std::fprintf(stderr, "certmill-demo: %s\n", config.error().message().c_str());
    return 1;
  }

  reactor::Reactor reactor(shards);
  auto clients = make_shard_clients(reactor, *config);
  if (!clients) {
    std::fprintf(stderr, "certmill-demo: %s\n", clients.error().message().c_str());
    return 1;
  }
  reactor::WorkerPool pool(std::thread::hardware_concurrency());
  controller::ControllerConfig controller_config;
  controller_config.runtime.cluster_resource_namespace = spec.cluster_resource_namespace;
  controller::Controller controller(reactor, clients->each, pool, controller_config);
  fleet::ReadyCounter counter(reactor);
  auto endpoints = controller::HttpEndpoints::listen(reactor.shard(0).executor(), metrics_address);
  if (!endpoints) {
    std::fprintf(stderr, "certmill-demo: %s\n", endpoints.error().message().c_str());
    return 1;
  }
  (*endpoints)->handle_metrics("/metrics", [&] { return controller.metrics_scrape(); });
  reactor.spawn_service(reactor.shard(0),
                        [e = endpoints->get()]() -> asio::awaitable<void> { co_await e->run(); });
  std::atomic<bool> interrupted{false};
  std::promise<void> stop;
  reactor::on_termination_signal(reactor.shard(0).executor(), [&](int) {
    if (!interrupted.exchange(true))
      stop.set_value();
  });
  reactor.start();
  k8s::Client& client = *clients->each[0];
  auto shutdown = [&] {
    reactor.shutdown(std::chrono::seconds(5), std::chrono::seconds(5)).get();
    reactor.join();
    pool.stop();
  };

  step("creating the CRDs (deploy/crds)");
  auto created = reactor::run_and_wait(reactor.shard(0).executor(),
                                       [&] { return fleet::apply_directory(client.http(), crds); });
  if (!created) {
    std::fprintf(stderr, "certmill-demo: %s\n", created.error().message().c_str());
    shutdown();
    return 1;
  }
  std::printf("  %u CustomResourceDefinitions\n", *created);

  step("creating the fleet: SelfSigned -> root CA -> CA ClusterIssuer, Certificates, Ingresses");
  ProgressLine progress(tty);
  const auto create_start = Clock::now();
  const long objects = spec.certificates + spec.ingresses;
  std::atomic<long> made{0};
  Status fleet_made = reactor::run_and_wait(reactor.shard(0).executor(), [&] {
    return fleet::create_fleet(client, spec, [&](unsigned n) {
      made = n;
      progress.show("created", n, objects,
                    std::chrono::duration<double>(Clock::now() - create_start).count());
    });
  });
  progress.finish();
  if (!fleet_made) {
    std::fprintf(stderr, "certmill-demo: creating the fleet: %s\n",
                 fleet_made.error().message().c_str());
    shutdown();
    return 1;
  }
  const auto writes_before = reactor::run_and_wait(
      reactor.shard(0).executor(), [&] { return fleet::kube_sim_writes(client.http()); });

  step("running the controller until every Certificate is Ready");
  const long total = fleet::fleet_size(spec);
  const auto start = Clock::now();
  controller.start();
  counter.start(reactor, client);
  double seconds = 0;
  while (!interrupted) {
    seconds = std::chrono::duration<double>(Clock::now() - start).count();
    progress.show("ready", counter.ready(), total, seconds);
    if (counter.ready() >= total)
      break;
    if (Clock::now() - start > timeout) {
      progress.finish();
      std::fprintf(stderr,
                   "certmill-demo: only %ld of %ld Certificates are Ready after %s; see `kubectl "
                   "--kubeconfig %s describe certificates -A`\n",
                   counter.ready(), total, format_duration(timeout).c_str(),
                   sim->kubeconfig.c_str());
      shutdown();
      return 1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  progress.finish();
  if (interrupted) {
    shutdown();
    return 130;
  }

  const auto writes_after = reactor::run_and_wait(
      reactor.shard(0).executor(), [&] { return fleet::kube_sim_writes(client.http()); });
  step("summary");
  std::printf("  %-22s %ld Ready (%u Certificates, %u from Ingresses, 1 root CA)\n", "certificates",
              counter.ready(), spec.certificates, spec.ingresses);
  std::printf("  %-22s %.2f s, %.1f certificates/s, %u shards\n", "time to all Ready", seconds,
              seconds > 0 ? static_cast<double>(total) / seconds : 0.0, reactor.size());
  if (writes_before && writes_after) {
    const long writes = writes_after->total - writes_before->total;
    const long events = writes_after->events - writes_before->events;
    std::printf("  %-22s %ld (%.1f per certificate, of which %.1f Events)\n", "API writes", writes,
                static_cast<double>(writes) / static_cast<double>(total),
                static_cast<double>(events) / static_cast<double>(total));
  }
  std::printf(
      "  %-22s kubectl --kubeconfig %s get secrets -A -l "
      "controller.cert-manager.io/fao=true\n",
      "Secrets", sim->kubeconfig.c_str());
  std::printf("  %-22s kubectl --kubeconfig %s get certificates -A\n", "Certificates",
              sim->kubeconfig.c_str());
  std::printf("  %-22s http://127.0.0.1:%u/metrics\n", "metrics", (*endpoints)->port());
  std::fflush(stdout);
  if (!exit_when_ready) {
    std::printf("\ncertmill keeps the fleet issued and renewed; Ctrl-C stops it and kube-sim.\n");
    std::fflush(stdout);
    stop.get_future().wait();
  }
  shutdown();
  return 0;
}

}  // namespace certmill::cmd

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  return certmill::cmd::demo(args);
}
