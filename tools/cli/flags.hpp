// Command-line flags for certmill's commands, in the style Kubernetes tools
// use: `--name=value` or `--name value`, booleans as `--flag` or
// `--flag=false`, and errors that say what to run next.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/duration.hpp"
#include "core/result.hpp"

namespace certmill::cli {

struct ParseOutcome {
  bool help = false;                    // --help or -h was given
  std::vector<std::string> positional;  // arguments that are not flags
};

class FlagSet {
 public:
  // `command` is what the user typed to get here, e.g. "certmill controller".
  FlagSet(std::string command, std::string summary);

  void add(std::string name, std::string* target, std::string help);
  void add(std::string name, unsigned* target, std::string help);
  void add(std::string name, double* target, std::string help);
  void add(std::string name, bool* target, std::string help);
  void add(std::string name, Duration* target, std::string help);
  // Repeatable: every occurrence appends its value.
  void add(std::string name, std::vector<std::string>* target, std::string help);
  // A string that must be one of `allowed`.
  void add_choice(std::string name, std::string* target, std::vector<std::string> allowed,
                  std::string help);
  // Any other kind of value: `set` parses and stores it, or says why not.
  // A `is_bool` flag given bare (`--flag`) is set to "true".
  void add_func(std::string name, std::function<Status(std::string_view)> set, std::string help,
                std::string default_text = {}, bool is_bool = false);

  bool has(std::string_view name) const { return find(name) != nullptr; }
  // Sets a flag as if `--name=value` had been given (a configuration file's
  // field, for one). The error names the flag, without the --help hint.
  Status set(std::string_view name, std::string_view value);

  Result<ParseOutcome> parse(std::span<const std::string> args);
  std::string usage() const;
  // For a program's main (the benchmarks): parses argv, and when the program
  // should stop now prints usage (--help, exit code 0) or the error prefixed
  // with the command (exit code 2) and returns that code.
  std::optional<int> parse_main(int argc, char** argv);

 private:
  struct Flag {
    std::string name;
    std::string help;
    std::string default_text;
    bool is_bool = false;
    std::function<Status(std::string_view)> set;
  };
  void add_flag(Flag flag);
  const Flag* find(std::string_view name) const;
  std::string nearest(std::string_view name) const;

  std::string command_;
  std::string summary_;
  std::vector<Flag> flags_;
};

}  // namespace certmill::cli
