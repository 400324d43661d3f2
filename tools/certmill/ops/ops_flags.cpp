// The operator commands' shared flags: kubectl's names, short forms included.
#include "tools/certmill/ops/ops_flags.hpp"

#include <cstdio>

namespace certmill::ops {

void OpsFlags::add_to(cli::FlagSet& flags, bool listing, std::vector<std::string> outputs) {
  flags.add("kubeconfig", &kubeconfig,
            "path to the kubeconfig file (default: $KUBECONFIG, in-cluster, ~/.kube/config)");
  flags.add("context", &context, "the kubeconfig context to use (default: its current-context)");
  flags.add("namespace", &namespace_, "the namespace (default: the context's namespace)");
  flags.add("n", &namespace_, "short for --namespace");
  if (listing) {
    flags.add("all-namespaces", &all_namespaces, "list across all namespaces");
    flags.add("A", &all_namespaces, "short for --all-namespaces");
  }
  if (!outputs.empty()) {
    // The text layout is the default; -o names another.
    std::string list;
    for (const auto& o : outputs)
      list += (list.empty() ? "" : ", ") + o;
    auto set = [this, outputs, list](std::string_view v) -> Status {
      for (const auto& o : outputs) {
        if (o == v) {
          output = o;
          return {};
        }
      }
      return Error(Errc::invalid_argument,
                   "invalid value \"" + std::string(v) + "\" for --output: want one of " + list);
    };
    flags.add_func("output", set, "output format, one of " + list + " (default: text)");
    flags.add_func("o", set, "short for --output");
  }
}

int parse_command(cli::FlagSet& flags, std::span<const std::string> args, std::size_t want,
                  std::vector<std::string>& positional) {
  auto outcome = flags.parse(args);
  if (!outcome) {
    std::fprintf(stderr, "certmill: %s\n", outcome.error().message().c_str());
    return kExitUsage;
  }
  if (outcome->help) {
    std::fputs(flags.usage().c_str(), stdout);
    return kExitOk;
  }
  if (want != kAnyCount && outcome->positional.size() != want) {
    std::fprintf(stderr, "certmill: want %zu argument%s, got %zu; run with --help for usage\n",
                 want, want == 1 ? "" : "s", outcome->positional.size());
    return kExitUsage;
  }
  positional = std::move(outcome->positional);
  return -1;
}

}  // namespace certmill::ops
