// Flag handling shared by the certmill commands.
#include <cstdio>

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
