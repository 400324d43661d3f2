// certmill inspect secret NAME: a TLS Secret's certificate, chain and expiry
// (as cmctl inspect secret), its private key named only by type and size.
// Exit code 0 when the certificate is valid now and matches its key, 1 when
// not (or the Secret does not exist), 3 when the API cannot be asked.
#include <cstdio>

#include "tools/certmill/commands.hpp"
#include "tools/certmill/ops/command_support.hpp"
#include "tools/certmill/ops/secret_report.hpp"

namespace certmill::cmd {

using namespace certmill::ops;

int inspect(Args args) {
  cli::FlagSet flags("certmill inspect secret NAME",
                     "Prints the certificate in a kubernetes.io/tls Secret: subject, SANs,\n"
                     "issuer, serial, validity, key usages, signature algorithm, fingerprint,\n"
                     "and the chain with each expiry. The private key is described by type\n"
                     "and size only; none of its bytes are printed. Exit code 0 when the\n"
                     "certificate is valid now and matches its key, 1 when not or when the\n"
                     "Secret does not exist, 2 for usage errors, 3 when the API cannot be asked.");
  OpsFlags ops;
  ops.add_to(flags, false, {});
  std::vector<std::string> positional;
  if (int code = parse_command(flags, args, 2, positional); code >= 0)
    return code;
  if (positional[0] != "secret" && positional[0] != "secrets") {
    std::fprintf(stderr, "certmill: inspect knows \"secret\", not \"%s\"\n", positional[0].c_str());
    return kExitUsage;
  }
  auto session = open_or_report(ops);
  if (!session)
    return kExitApi;
  const std::string& ns = session->namespace_();
  auto secret = session->get<api::Secret>(ns, positional[1]);
  if (!secret)
    return report_error(*session, secret.error(), "secret " + ns + "/" + positional[1], "v1");
  const SecretReport report = secret_report(*secret, now_seconds(), stdout_paint());
  std::fputs(report.text.c_str(), stdout);
  return report.well ? kExitOk : kExitNotWell;
}

}  // namespace certmill::cmd
