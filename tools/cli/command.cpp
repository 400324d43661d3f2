// Flag handling and API clients shared by the certmill programs' commands.
#include "tools/cli/command.hpp"

#include <cstdio>

#include "k8s/write_gate.hpp"
#include "reactor/log_sink.hpp"

namespace certmill::cmd {

void LogFlags::add_to(cli::FlagSet& flags) {
  flags.add_choice("log-level", &level, {"debug", "info", "warn", "error"},
                   "least severe log level to write");
  flags.add_choice("log-format", &format, {"text", "json"}, "log line format");
}

void LogFlags::apply() const {
  const log::Level l = level == "debug"   ? log::Level::debug
                       : level == "warn"  ? log::Level::warn
                       : level == "error" ? log::Level::error
                                          : log::Level::info;
  reactor::log_to_stderr();
  log::configure(l, format == "json" ? log::Format::json : log::Format::text);
}

Result<ShardClients> make_shard_clients(reactor::Reactor& reactor, const k8s::ClientConfig& config,
                                        reactor::RateLimiter* writes) {
  ShardClients clients;
  for (unsigned i = 0; i < reactor.size(); ++i) {
    auto http = k8s::HttpClient::create(reactor.shard(i).executor(), config);
    if (!http)
      return http.error();
    clients.owned.push_back(std::make_unique<k8s::Client>(std::move(*http)));
    if (writes)
      clients.owned.back()->set_write_gate(k8s::make_write_gate(reactor.shard(0), *writes));
    clients.each.push_back(clients.owned.back().get());
  }
  return clients;
}

int parse_or_exit(cli::FlagSet& flags, Args args, const char* program) {
  auto outcome = flags.parse(args);
  if (!outcome) {
    std::fprintf(stderr, "%s: %s\n", program, outcome.error().message().c_str());
    return 2;
  }
  if (outcome->help) {
    std::fputs(flags.usage().c_str(), stdout);
    return 0;
  }
  if (!outcome->positional.empty()) {
    std::fprintf(stderr, "%s: unexpected argument \"%s\"; this command takes flags only\n", program,
                 outcome->positional.front().c_str());
    return 2;
  }
  return -1;
}

}  // namespace certmill::cmd
