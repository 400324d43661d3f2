// certmill: a Kubernetes certificate controller that speaks cert-manager's API.
// This file only dispatches to a command.
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "tools/certmill/commands.hpp"

namespace {

struct Command {
  std::string_view name;
  std::string_view summary;
  int (*run)(certmill::cmd::Args);
};

constexpr Command kCommands[] = {
    {"controller", "run the certificate controller", certmill::cmd::controller},
    {"version", "print the version and the libraries certmill was built with",
     certmill::cmd::version},
};

void print_help(std::FILE* out) {
  std::fprintf(out,
               "certmill issues and renews TLS certificates in Kubernetes, speaking\n"
               "cert-manager's API (cert-manager.io/v1, acme.cert-manager.io/v1).\n\n"
               "Usage: certmill <command> [flags]\n\nCommands:\n");
  for (const auto& c : kCommands) {
    std::fprintf(out, "  %-12.*s%.*s\n", static_cast<int>(c.name.size()), c.name.data(),
                 static_cast<int>(c.summary.size()), c.summary.data());
  }
  std::fprintf(out, "\nRun 'certmill <command> --help' for a command's flags.\n");
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    print_help(stderr);
    return 2;
  }
  const std::string& name = args[0];
  if (name == "--help" || name == "-h" || name == "help") {
    print_help(stdout);
    return 0;
  }
  if (name == "--version")
    return certmill::cmd::version({});
  // Flags with no command are the controller's, as cert-manager's controller
  // binary takes them: its Helm chart passes only `args`, which replace the
  // image's CMD ("controller") and keep its ENTRYPOINT ("/certmill").
  if (name.starts_with("-"))
    return certmill::cmd::controller(args);
  for (const auto& c : kCommands) {
    if (c.name == name)
      return c.run(std::span(args).subspan(1));
  }
  std::fprintf(stderr, "certmill: unknown command \"%s\"; run 'certmill --help' for the list\n",
               name.c_str());
  return 2;
}
