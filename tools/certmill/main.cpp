// certmill: a Kubernetes certificate controller that speaks cert-manager's API.
// This file only dispatches to a command. Run as `kubectl-certmill` (a
// symlink on PATH) it is a kubectl plugin with the same commands.
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
    {"status", "show a Certificate's state and why it is not Ready (status certificate NAME)",
     certmill::cmd::status},
    {"inspect", "show the certificate in a TLS Secret, never its key (inspect secret NAME)",
     certmill::cmd::inspect},
    {"list", "list Certificates with expiry and renewal, soonest first (alias: get)",
     certmill::cmd::list},
    {"get", "the same as list", certmill::cmd::get},
    {"renew", "re-issue Certificates now (renew NAME... | --all | -l SELECTOR)",
     certmill::cmd::renew},
    {"approve", "approve a CertificateRequest (approve NAME)", certmill::cmd::approve},
    {"deny", "deny a CertificateRequest (deny NAME)", certmill::cmd::deny},
    {"create", "request a certificate for a Certificate manifest (create certificaterequest NAME)",
     certmill::cmd::create},
    {"check",
     "check the cert-manager API (check api) or a name's DNS before ordering (check dns NAME)",
     certmill::cmd::check},
    {"budgets", "show each ACME account's rate-limit budgets as the scheduler counts them",
     certmill::cmd::budgets},
    {"version", "print the version and the libraries certmill was built with",
     certmill::cmd::version},
};

// The name the user typed: "kubectl certmill" when run as the plugin.
std::string_view program = "certmill";

std::string_view basename_of(std::string_view path) {
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

void print_help(std::FILE* out) {
  const int n = static_cast<int>(program.size());
  std::fprintf(out,
               "certmill issues and renews TLS certificates in Kubernetes, speaking\n"
               "cert-manager's API (cert-manager.io/v1, acme.cert-manager.io/v1).\n\n"
               "Usage: %.*s <command> [flags]\n\nCommands:\n",
               n, program.data());
  for (const auto& c : kCommands) {
    std::fprintf(out, "  %-12.*s%.*s\n", static_cast<int>(c.name.size()), c.name.data(),
                 static_cast<int>(c.summary.size()), c.summary.data());
  }
  std::fprintf(out,
               "\nRun '%.*s <command> --help' for a command's flags.\n\n"
               "The operator commands (all but controller and version) find the API server as\n"
               "kubectl does (--kubeconfig, KUBECONFIG, in-cluster, ~/.kube/config; --context,\n"
               "-n) and exit with:\n"
               "  0  ok\n"
               "  1  what was asked about is not well: a Certificate not Ready, a Secret whose\n"
               "     certificate is expired or does not match its key, a CertificateRequest\n"
               "     already decided, denied or not signed in time, the cert-manager API not\n"
               "     ready, a name's DNS check failed, or it does not exist\n"
               "  2  usage error (unknown command or flag, missing argument)\n"
               "  3  no configuration, or the API server could not be reached or refused\n\n"
               "As a kubectl plugin: put a symlink named kubectl-certmill on PATH, e.g.\n"
               "  ln -s \"$(command -v certmill)\" ~/.local/bin/kubectl-certmill\n"
               "and run 'kubectl certmill status certificate NAME'.\n",
               n, program.data());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 0 && basename_of(argv[0]) == "kubectl-certmill")
    program = "kubectl certmill";
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
  std::fprintf(stderr, "certmill: unknown command \"%s\"; run '%.*s --help' for the list\n",
               name.c_str(), static_cast<int>(program.size()), program.data());
  return 2;
}
