// certmill list (alias get): the fleet of Certificates in one table, the
// soonest expiry first, or -o json|yaml as a v1 List.
#include <cstdio>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "core/api/codec.hpp"
#include "tools/certmill/commands.hpp"
#include "tools/certmill/ops/command_support.hpp"
#include "tools/certmill/ops/fleet_table.hpp"

namespace certmill::cmd {

using namespace certmill::ops;
namespace json = boost::json;

namespace {

int list_as(std::string command, Args args) {
  cli::FlagSet flags(std::move(command),
                     "Lists Certificates with their readiness, Secret, issuer, expiry and\n"
                     "renewal time (list and get are the same). Sorted by expiry, soonest\n"
                     "first, with Certificates that have no certificate yet at the top.\n"
                     "Exit code 0, 2 for usage errors, 3 when the API cannot be asked.");
  OpsFlags ops;
  ops.add_to(flags, true, {"json", "yaml", "wide"});
  std::string sort = "expiry";
  flags.add_choice("sort-by", &sort, {"expiry", "name"}, "row order");
  std::vector<std::string> positional;
  // `certmill list certificates` reads as kubectl does; the kind is optional.
  std::vector<std::string> rest(args.begin(), args.end());
  if (!rest.empty() && (rest[0] == "certificates" || rest[0] == "certificate" ||
                        rest[0] == "cert" || rest[0] == "certs"))
    rest.erase(rest.begin());
  if (int code = parse_command(flags, rest, 0, positional); code >= 0)
    return code;
  auto session = open_or_report(ops);
  if (!session)
    return kExitApi;
  const std::string ns = ops.all_namespaces ? "" : session->namespace_();
  auto certs = session->list<api::Certificate>(ns);
  if (!certs)
    return report_error(*session, certs.error(), "listing certificates", "cert-manager.io/v1");
  const SortBy order = sort == "name" ? SortBy::name : SortBy::expiry;
  if (ops.output == "json" || ops.output == "yaml") {
    sort_certificates(*certs, order);
    json::array items;
    for (const auto& c : *certs)
      items.push_back(json_of(api::encode(c)));
    print_structured(json::object{{"apiVersion", "v1"}, {"kind", "List"}, {"items", items}},
                     ops.output);
    return kExitOk;
  }
  if (certs->empty()) {
    std::fprintf(stderr, "No Certificates found%s.\n",
                 ns.empty() ? "" : (" in namespace " + ns).c_str());
    return kExitOk;
  }
  const FleetOptions options{
      .all_namespaces = ops.all_namespaces, .wide = ops.output == "wide", .sort = order};
  std::fputs(fleet_table(std::move(*certs), options, now_seconds()).c_str(), stdout);
  return kExitOk;
}

}  // namespace

int list(Args args) {
  return list_as("certmill list", args);
}

// kubectl's verb for the same table.
int get(Args args) {
  return list_as("certmill get", args);
}

}  // namespace certmill::cmd
