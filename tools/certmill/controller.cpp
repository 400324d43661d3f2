// certmill controller: starts the shards and runs until SIGTERM or SIGINT,
// then shuts down gracefully. Watching the API server and reconciling come
// with the k8s client and the controller; the process shape is final.
#include <future>

#include "reactor/reactor.hpp"
#include "reactor/signals.hpp"
#include "tools/certmill/commands.hpp"

namespace certmill::cmd {

int controller(Args args) {
  unsigned shards = 0;
  Duration grace = std::chrono::seconds(30);
  LogFlags logging;
  cli::FlagSet flags("certmill controller",
                     "Runs the certificate controller until SIGTERM or SIGINT.\n"
                     "This build runs the shards and graceful shutdown; it does not yet connect\n"
                     "to a Kubernetes API server.");
  flags.add("shards", &shards, "reactor shards (threads); 0 means one per core");
  flags.add("shutdown-grace-period", &grace,
            "on SIGTERM, how long in-flight work may finish before it is cancelled");
  logging.add_to(flags);
  if (int code = parse_or_exit(flags, args); code >= 0)
    return code;
  logging.apply();

  reactor::Reactor reactor(shards);
  std::promise<int> signalled;
  reactor::on_termination_signal(reactor.shard(0).executor(),
                                 [&](int signal) { signalled.set_value(signal); });
  reactor.start();
  log::info("certmill controller started", {{"shards", reactor.size()}});

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
