// certmill approve NAME / certmill deny NAME: decides a CertificateRequest
// by hand, as cmctl approve and cmctl deny do, for requests that an approver
// policy leaves undecided. A decision is final, so a second one is refused.
#include <cstdio>

#include "tools/certmill/commands.hpp"
#include "tools/certmill/ops/command_support.hpp"
#include "tools/certmill/ops/condition_edits.hpp"

namespace certmill::cmd {

using namespace certmill::ops;

namespace {

int decide(Args args, Decision decision) {
  const bool approving = decision == Decision::approved;
  const std::string verb = approving ? "approve" : "deny";
  cli::FlagSet flags(
      "certmill " + verb + " NAME",
      std::string(approving ? "Approves" : "Denies") + " a CertificateRequest (as cmctl " + verb +
          "): sets its " + (approving ? "Approved" : "Denied") +
          "\ncondition to True. A request already approved or denied is left as it is.\n"
          "Exit code 0, 1 when the request does not exist or is already decided, 2\n"
          "for usage errors, 3 when the API cannot be asked.");
  OpsFlags ops;
  ops.add_to(flags, false, {});
  std::string reason = kDecisionReason;
  std::string message = approving ? kApproveMessage : kDenyMessage;
  flags.add("reason", &reason, "the condition's reason");
  flags.add("message", &message, "the condition's message");
  std::vector<std::string> positional;
  if (int code = parse_command(flags, args, 1, positional); code >= 0)
    return code;
  auto session = open_or_report(ops);
  if (!session)
    return kExitApi;
  const std::string& ns = session->namespace_();
  const std::string id = ns + "/" + positional[0];
  auto request = session->get<api::CertificateRequest>(ns, positional[0]);
  if (!request)
    return report_error(*session, request.error(), "certificaterequest " + id,
                        "cert-manager.io/v1");
  if (const Decision made = decision_of(*request); made != Decision::none) {
    std::fprintf(stderr, "certmill: CertificateRequest %s is already %s\n", id.c_str(),
                 made == Decision::approved ? "approved" : "denied");
    return kExitNotWell;
  }
  auto patched = session->patch_status<api::CertificateRequest>(
      ns, positional[0],
      conditions_patch(request->metadata.resource_version,
                       decision_conditions(*request, decision, reason, message, now_seconds())));
  if (!patched)
    return report_error(*session, patched.error(), verb + " certificaterequest " + id,
                        "cert-manager.io/v1");
  std::printf("%s CertificateRequest %s\n", approving ? "Approved" : "Denied", id.c_str());
  return kExitOk;
}

}  // namespace

int approve(Args args) {
  return decide(args, Decision::approved);
}

int deny(Args args) {
  return decide(args, Decision::denied);
}

}  // namespace certmill::cmd
