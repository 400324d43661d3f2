// The flags every operator command (status, inspect, list) shares, named as
// kubectl names them, and the exit codes scripts can test.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "tools/cli/flags.hpp"

namespace certmill::ops {

// Exit codes, the same for every operator command (`certmill --help` lists
// them): a script can tell "the certificate is broken" from "I could not ask".
inline constexpr int kExitOk = 0;
inline constexpr int kExitNotWell = 1;  // the thing asked about is not well
inline constexpr int kExitUsage = 2;    // bad flags or arguments
inline constexpr int kExitApi = 3;      // no configuration, connection or API error

struct OpsFlags {
  std::string kubeconfig;
  std::string context;
  std::string namespace_;  // empty: the context's namespace
  bool all_namespaces = false;
  std::string output;  // empty: the command's text layout

  // `listing` adds -A/--all-namespaces; `outputs` are the -o values accepted.
  void add_to(cli::FlagSet& flags, bool listing, std::vector<std::string> outputs);
};

// `want` for a command that takes any number of arguments (renew NAME...).
inline constexpr std::size_t kAnyCount = static_cast<std::size_t>(-1);

// Parses `args` with `flags`: prints usage on --help, or the error, and
// returns the exit code to stop with; otherwise stores the positional
// arguments, of which there must be exactly `want` (unless kAnyCount), and
// returns -1.
int parse_command(cli::FlagSet& flags, std::span<const std::string> args, std::size_t want,
                  std::vector<std::string>& positional);

}  // namespace certmill::ops
