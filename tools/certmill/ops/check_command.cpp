// certmill check api: whether the cert-manager API can be used, as cmctl
// check api: cert-manager.io/v1 is served (discovery), and the API server
// accepts a dry-run create of a Certificate, which runs the CRD's schema
// validation and any admission webhook without storing anything. With
// --wait it retries, for install scripts that wait for the CRDs to settle.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>

#include "core/api/codec.hpp"
#include "k8s/api_error.hpp"
#include "tools/certmill/commands.hpp"
#include "tools/certmill/ops/command_support.hpp"

namespace certmill::cmd {

using namespace certmill::ops;

namespace {

struct Check {
  int code = kExitOk;
  std::string why;  // when not ready
};

// The exit code for a failed step: an API server that did not answer is a
// different problem (3) from one that answered "not that" (1).
Check failed(const Error& e, std::string what) {
  return {.code = k8s::error_status(e) == 0 ? kExitApi : kExitNotWell,
          .why = what + ": " + e.message()};
}

Check check_once(Session& session) {
  auto served = session.get_json("/apis/cert-manager.io/v1");
  if (!served) {
    if (k8s::is_not_found(served.error()))
      return {.code = kExitNotWell,
              .why =
                  "the API server does not serve cert-manager.io/v1: are cert-manager's "
                  "CRDs installed? (kubectl apply -k deploy/)"};
    return failed(served.error(), "discovery of cert-manager.io/v1");
  }
  api::Certificate probe;
  probe.metadata.name = "certmill-check-api";
  probe.metadata.namespace_ = session.namespace_();
  probe.spec.secret_name = "certmill-check-api";
  probe.spec.dns_names = {"certmill-check-api.example.com"};
  probe.spec.issuer_ref.name = "certmill-check-api";
  const std::string path =
      "/apis/cert-manager.io/v1/namespaces/" + session.namespace_() + "/certificates?dryRun=All";
  auto created = session.post_json(path, api::encode(probe));
  if (!created)
    return failed(created.error(), "dry-run create of a Certificate");
  return {};
}

}  // namespace

int check(Args args) {
  if (!args.empty() && args[0] == "dns")
    return check_dns(args.subspan(1));
  cli::FlagSet flags("certmill check api",
                     "Checks that the cert-manager API is ready (as cmctl check api): the API\n"
                     "server serves cert-manager.io/v1 and accepts a dry-run create of a\n"
                     "Certificate (nothing is stored). With --wait it retries until ready or\n"
                     "the duration passes. Exit code 0 when ready, 1 when not, 2 for usage\n"
                     "errors, 3 when the API server cannot be reached.");
  OpsFlags ops;
  ops.add_to(flags, false, {});
  Duration wait = Duration::zero();
  Duration interval = std::chrono::seconds(5);
  flags.add("wait", &wait, "retry for this long until the API is ready (0: try once)");
  flags.add("interval", &interval, "time between tries with --wait");
  std::vector<std::string> positional;
  if (int code = parse_command(flags, args, 1, positional); code >= 0)
    return code;
  if (positional[0] != "api") {
    std::fprintf(stderr, "certmill: check knows \"api\" and \"dns\", not \"%s\"\n",
                 positional[0].c_str());
    return kExitUsage;
  }
  auto session = open_or_report(ops);
  if (!session)
    return kExitApi;
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (true) {
    const Check result = check_once(*session);
    if (result.code == kExitOk) {
      std::printf("The cert-manager API is ready\n");
      return kExitOk;
    }
    std::fprintf(stderr, "Not ready: %s\n", result.why.c_str());
    const auto left = deadline - std::chrono::steady_clock::now();
    if (left <= Duration::zero())
      return result.code;
    std::this_thread::sleep_for(std::min<Duration>(interval, left));
  }
}

}  // namespace certmill::cmd
