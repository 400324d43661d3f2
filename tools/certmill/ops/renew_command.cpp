// certmill renew NAME... | --all | -l SELECTOR: marks Certificates for
// re-issuance now, as cmctl renew does, by setting their Issuing condition,
// which the issuing controller acts on whatever the renewal time says.
#include <algorithm>
#include <cstdio>

#include "tools/certmill/commands.hpp"
#include "tools/certmill/ops/command_support.hpp"
#include "tools/certmill/ops/condition_edits.hpp"

namespace certmill::cmd {

using namespace certmill::ops;

namespace {

// One Certificate: skipped when already Issuing (a second trigger would
// change nothing), else the condition is written. Returns the exit code.
int renew_one(Session& session, const api::Certificate& certificate) {
  const std::string id = certificate.metadata.namespace_ + "/" + certificate.metadata.name;
  if (is_issuing(certificate)) {
    std::printf("Certificate %s is already being issued; skipped\n", id.c_str());
    return kExitOk;
  }
  auto patched = session.patch_status<api::Certificate>(
      certificate.metadata.namespace_, certificate.metadata.name,
      conditions_patch(certificate.metadata.resource_version,
                       renewal_conditions(certificate, now_seconds())));
  if (!patched)
    return report_error(session, patched.error(), "renewing certificate " + id,
                        "cert-manager.io/v1");
  std::printf("Manually triggered issuance of Certificate %s\n", id.c_str());
  return kExitOk;
}

}  // namespace

int renew(Args args) {
  cli::FlagSet flags("certmill renew NAME... | --all | -l SELECTOR",
                     "Marks Certificates for re-issuance now (as cmctl renew): sets their\n"
                     "Issuing condition to True with reason ManuallyTriggered, and skips those\n"
                     "already being issued. Prints one line per Certificate. Exit code 0, 1\n"
                     "when a named Certificate does not exist, 2 for usage errors, 3 when the\n"
                     "API cannot be asked.");
  OpsFlags ops;
  ops.add_to(flags, true, {});
  bool all = false;
  std::string selector;
  flags.add("all", &all, "renew every Certificate in the namespace (or, with -A, in all)");
  flags.add("selector", &selector, "renew the Certificates with these labels (key=value,...)");
  flags.add("l", &selector, "short for --selector");
  std::vector<std::string> names;
  if (int code = parse_command(flags, args, kAnyCount, names); code >= 0)
    return code;
  // As cmctl: names, --all and -l each choose on their own, and -A needs one
  // of the latter, since names are looked up in one namespace.
  const int choices = (names.empty() ? 0 : 1) + (all ? 1 : 0) + (selector.empty() ? 0 : 1);
  if (choices != 1) {
    std::fprintf(stderr,
                 "certmill: renew wants Certificate names, --all or -l SELECTOR (one of "
                 "them); run with --help for usage\n");
    return kExitUsage;
  }
  if (ops.all_namespaces && !names.empty()) {
    std::fprintf(stderr, "certmill: -A needs --all or -l, not names\n");
    return kExitUsage;
  }
  auto session = open_or_report(ops);
  if (!session)
    return kExitApi;
  const std::string ns = ops.all_namespaces ? "" : session->namespace_();
  int worst = kExitOk;
  if (names.empty()) {
    auto certificates = session->list<api::Certificate>(ns, selector);
    if (!certificates)
      return report_error(*session, certificates.error(), "listing certificates",
                          "cert-manager.io/v1");
    if (certificates->empty())
      std::fprintf(stderr, "No Certificates found%s.\n",
                   ns.empty() ? "" : (" in namespace " + ns).c_str());
    for (const auto& certificate : *certificates)
      worst = std::max(worst, renew_one(*session, certificate));
    return worst;
  }
  for (const auto& name : names) {
    auto certificate = session->get<api::Certificate>(ns, name);
    worst = std::max(
        worst, certificate ? renew_one(*session, *certificate)
                           : report_error(*session, certificate.error(),
                                          "certificate " + ns + "/" + name, "cert-manager.io/v1"));
  }
  return worst;
}

}  // namespace certmill::cmd
