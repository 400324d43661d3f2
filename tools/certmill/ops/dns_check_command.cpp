// certmill check dns NAME: the pre-flight a person runs before blaming the
// CA: CAA, the zone and its servers, the _acme-challenge CNAME, and whether
// the servers agree (dns_check.hpp), printed as a checklist. The CA is named
// by --ca-domain, or by an ACME Issuer's directory (--issuer).
// Exit code 0 when every check passes, 1 when one fails, 2 for usage
// errors, 3 when the Issuer cannot be read.
#include <cstdio>
#include <unistd.h>

#include "tools/certmill/commands.hpp"
#include "tools/certmill/ops/command_support.hpp"
#include "tools/certmill/ops/dns_check.hpp"

namespace certmill::cmd {

using namespace certmill::ops;

namespace {

// The CA domain of the Issuer's directory: "NAME" an Issuer in the
// namespace, "clusterissuer/NAME" a ClusterIssuer. Sets `code` on failure.
std::optional<std::string> issuer_ca_domain(const OpsFlags& ops, const std::string& issuer,
                                            int& code) {
  auto session = open_or_report(ops);
  if (!session) {
    code = kExitApi;
    return std::nullopt;
  }
  const std::string cluster_prefix = "clusterissuer/";
  const bool cluster = issuer.starts_with(cluster_prefix);
  const std::string name = cluster ? issuer.substr(cluster_prefix.size()) : issuer;
  std::optional<api::IssuerSpec> spec;
  if (cluster) {
    auto found = session->get<api::ClusterIssuer>("", name);
    if (!found) {
      code = report_error(*session, found.error(), "clusterissuer " + name, "cert-manager.io/v1");
      return std::nullopt;
    }
    spec = std::move(found->spec);
  } else {
    auto found = session->get<api::Issuer>(session->namespace_(), name);
    if (!found) {
      code = report_error(*session, found.error(), "issuer " + session->namespace_() + "/" + name,
                          "cert-manager.io/v1");
      return std::nullopt;
    }
    spec = std::move(found->spec);
  }
  if (!spec->acme) {
    std::fprintf(stderr, "certmill: %s is not an ACME issuer; say --ca-domain\n", issuer.c_str());
    code = kExitNotWell;
    return std::nullopt;
  }
  return ca_domain_of(spec->acme->server);
}

}  // namespace

int check_dns(Args args) {
  cli::FlagSet flags("certmill check dns NAME",
                     "Checks a name's DNS before an ACME order for it: (a) whether CAA (the\n"
                     "first RRset from NAME up, RFC 8659) lets the CA issue (issuewild for\n"
                     "*.NAME); (b) the zone (SOA walk) and its authoritative servers (NS);\n"
                     "(c) whether _acme-challenge.NAME is delegated by CNAME, and where to;\n"
                     "(d) whether every authoritative server answers the same SOA serial and\n"
                     "_acme-challenge.NAME TXT. The CA is --ca-domain (its CAA issuer domain,\n"
                     "e.g. letsencrypt.org), or derived from an ACME Issuer's directory with\n"
                     "--issuer NAME (-n) or --issuer clusterissuer/NAME. Exit code 0 when all\n"
                     "pass, 1 when one fails, 2 for usage errors, 3 when the Issuer cannot be\n"
                     "read.");
  OpsFlags ops;
  ops.add_to(flags, false, {});
  std::string issuer, ca_domain, nameservers;
  unsigned port = 53;
  Duration timeout = std::chrono::seconds(20);
  flags.add("issuer", &issuer, "an ACME Issuer whose directory names the CA");
  flags.add("ca-domain", &ca_domain, "the CA's CAA issuer domain, e.g. letsencrypt.org");
  flags.add("nameservers", &nameservers,
            "recursive nameservers to ask, host:port,... (default: the system's resolver; as "
            "the controller's --dns01-recursive-nameservers)");
  flags.add("port", &port,
            "the authoritative servers' port (as the controller's --dns01-authoritative-port)");
  flags.add("timeout", &timeout, "the longest all the lookups take");
  std::vector<std::string> positional;
  if (int code = parse_command(flags, args, 1, positional); code >= 0)
    return code;
  if (issuer.empty() == ca_domain.empty()) {
    std::fprintf(stderr, "certmill: check dns wants one of --issuer and --ca-domain\n");
    return kExitUsage;
  }
  if (port == 0 || port > 65535) {
    std::fprintf(stderr, "certmill: --port must be a port, 1 to 65535\n");
    return kExitUsage;
  }
  auto recursive = solvers::parse_nameservers(nameservers);
  if (!recursive) {
    std::fprintf(stderr, "certmill: --nameservers: %s\n", recursive.error().message().c_str());
    return kExitUsage;
  }
  if (!issuer.empty()) {
    int code = kExitOk;
    auto derived = issuer_ca_domain(ops, issuer, code);
    if (!derived)
      return code;
    ca_domain = std::move(*derived);
  }
  const auto items =
      run_dns_checks({.name = positional[0],
                      .ca_domain = ca_domain,
                      .recursive_nameservers = std::move(*recursive),
                      .authoritative_port = static_cast<unsigned short>(port),
                      .timeout = std::chrono::duration_cast<std::chrono::milliseconds>(timeout)});
  std::fputs(format_checklist(items, isatty(STDOUT_FILENO) == 1, stdout_paint()).c_str(), stdout);
  for (const CheckItem& item : items) {
    if (!item.ok)
      return kExitNotWell;
  }
  return kExitOk;
}

}  // namespace certmill::cmd
