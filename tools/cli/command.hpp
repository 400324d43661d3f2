// What every certmill program's commands share: the logging flags, one API
// client per shard, and flag parsing that prints usage or the error.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/log.hpp"
#include "k8s/client.hpp"
#include "k8s/kubeconfig.hpp"
#include "reactor/rate_limiter.hpp"
#include "reactor/reactor.hpp"
#include "tools/cli/flags.hpp"

namespace certmill::cmd {

using Args = std::span<const std::string>;

// --log-level and --log-format, shared by every long-running command.
struct LogFlags {
  std::string level = "info";
  std::string format = "text";
  void add_to(cli::FlagSet& flags);
  void apply() const;
};

// One API client per shard, each on its shard's executor, all sharing
// `writes` (when given) as the process's write budget.
struct ShardClients {
  std::vector<std::unique_ptr<k8s::Client>> owned;
  std::vector<k8s::Client*> each;  // by shard, for the controller
};
Result<ShardClients> make_shard_clients(reactor::Reactor& reactor, const k8s::ClientConfig& config,
                                        reactor::RateLimiter* writes = nullptr);

// Parses flags; on --help prints usage. Returns an exit code to stop with, or
// -1 to go on. Errors start with `program`.
int parse_or_exit(cli::FlagSet& flags, Args args, const char* program = "certmill");

}  // namespace certmill::cmd
