// The certmill commands. Each takes its arguments after the command name and
// returns the process exit code.
#pragma once

#include <span>
#include <string>

#include "core/log.hpp"
#include "tools/cli/flags.hpp"

namespace certmill::cmd {

using Args = std::span<const std::string>;

int controller(Args args);
int demo(Args args);
int version(Args args);

// --log-level and --log-format, shared by every long-running command.
struct LogFlags {
  std::string level = "info";
  std::string format = "text";
  void add_to(cli::FlagSet& flags);
  void apply() const;
};

// Parses flags; on --help prints usage. Returns an exit code to stop with, or
// -1 to go on.
int parse_or_exit(cli::FlagSet& flags, Args args);

}  // namespace certmill::cmd
