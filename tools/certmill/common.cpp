// Flag handling shared by the certmill commands.
#include <cstdio>

#include "k8s/write_gate.hpp"
#include "tools/certmill/commands.hpp"

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

int parse_or_exit(cli::FlagSet& flags, Args args) {
  auto outcome = flags.parse(args);
  if (!outcome) {
    std::fprintf(stderr, "certmill: %s\n", outcome.error().message().c_str());
    return 2;
  }
  if (outcome->help) {
    std::fputs(flags.usage().c_str(), stdout);
    return 0;
  }
  if (!outcome->positional.empty()) {
    std::fprintf(stderr, "certmill: unexpected argument \"%s\"; this command takes flags only\n",
                 outcome->positional.front().c_str());
    return 2;
  }
  return -1;
}

}  // namespace certmill::cmd
