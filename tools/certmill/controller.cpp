// certmill controller: connects to the API server (--kubeconfig, KUBECONFIG,
// in-cluster, ~/.kube/config), campaigns for the leader Lease as
// cert-manager's controller does, and runs until SIGTERM or SIGINT, then
// shuts down gracefully and releases the Lease. Reconciling arrives with the
// controller's runtime; the process shape is final.
#include <future>
#include <random>
#include <unistd.h>

#include "k8s/client.hpp"
#include "k8s/kubeconfig.hpp"
#include "k8s/leader_election.hpp"
#include "k8s/write_gate.hpp"
#include "reactor/reactor.hpp"
#include "reactor/signals.hpp"
#include "tools/certmill/commands.hpp"

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
  unsigned shards = 0;
  Duration grace = std::chrono::seconds(30);
  std::string kubeconfig;
  bool leader_elect = true;
  double qps = 20;
  double burst = 50;
  k8s::LeaderElectionConfig election;
  LogFlags logging;
  cli::FlagSet flags("certmill controller",
                     "Runs the certificate controller until SIGTERM or SIGINT: connects to the\n"
                     "API server and holds the leader Lease. (Reconciling Certificates is not\n"
                     "in this build yet.)");
  flags.add("kubeconfig", &kubeconfig,
            "kubeconfig file; else $KUBECONFIG, the pod's service account, ~/.kube/config");
  flags.add("shards", &shards, "reactor shards (threads); 0 means one per core");
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
  if (int code = parse_or_exit(flags, args); code >= 0)
    return code;
  logging.apply();
  if (election.renew_deadline >= election.lease_duration) {
    std::fprintf(stderr,
                 "certmill: --leader-election-renew-deadline must be shorter than "
                 "--leader-election-lease-duration, or two leaders could overlap\n");
    return 2;
  }

  auto config = k8s::load_client_config(kubeconfig, "", k8s::process_environment());
  if (!config) {
    std::fprintf(stderr, "certmill: %s\n", config.error().message().c_str());
    return 1;
  }
  reactor::Reactor reactor(shards);
  auto http = k8s::HttpClient::create(reactor.shard(0).executor(), *config);
  if (!http) {
    std::fprintf(stderr, "certmill: %s\n", http.error().message().c_str());
    return 1;
  }
  k8s::Client client(std::move(*http));
  // One limiter for every shard's writes, owned by shard 0.
  reactor::RateLimiter writes(reactor.clock(), qps, burst);
  client.set_write_gate(k8s::make_write_gate(reactor.shard(0), writes));
  election.identity = identity();
  k8s::Elector elector(election, reactor.clock(), {});
  if (leader_elect) {
    reactor.spawn_service(reactor.shard(0),
                          [&]() -> asio::awaitable<void> { co_await elector.run(client); });
  }

  std::promise<int> signalled;
  reactor::on_termination_signal(reactor.shard(0).executor(),
                                 [&](int signal) { signalled.set_value(signal); });
  reactor.start();
  log::info("certmill controller started", {{"shards", reactor.size()},
                                            {"server", config->server},
                                            {"config", config->source},
                                            {"leader_elect", leader_elect}});

  const int signal = signalled.get_future().get();
  log::info("shutting down", {{"signal", signal}, {"grace_period", format_duration(grace)}});
  const auto report = reactor.shutdown(grace, std::chrono::seconds(10)).get();
  reactor.join();
  log::info("stopped", {{"in_flight", report.in_flight},
                        {"cancelled", report.cancelled},
                        {"abandoned", report.abandoned}});
  return 0;
}

}  // namespace certmill::cmd
