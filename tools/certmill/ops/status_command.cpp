// certmill status certificate NAME: reads the Certificate and everything
// issued for it, and prints status_report's layout (or -o json|yaml).
// Exit code 0 when Ready and unexpired, 1 when not (or not found), 3 when
// the API could not be asked.
#include <cstdio>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "core/api/codec.hpp"
#include "k8s/api_error.hpp"
#include "tools/certmill/commands.hpp"
#include "tools/certmill/ops/command_support.hpp"
#include "tools/certmill/ops/related_objects.hpp"
#include "tools/certmill/ops/status_report.hpp"

namespace certmill::cmd {

namespace {

namespace json = boost::json;
using namespace certmill::ops;

// Reads what the layout needs; a list that fails is an error, since a
// status that silently omits the failing Order would mislead.
Result<StatusInput> read_status(Session& session, const std::string& ns, const std::string& name) {
  auto certificate = session.get<api::Certificate>(ns, name);
  if (!certificate)
    return certificate.error();
  StatusInput in{.certificate = std::move(*certificate),
                 .secret = std::nullopt,
                 .request = std::nullopt,
                 .order = std::nullopt,
                 .challenges = {},
                 .events = {}};
  auto secret = session.get<api::Secret>(ns, in.certificate.spec.secret_name);
  if (secret)
    in.secret = std::move(*secret);
  else if (!k8s::is_not_found(secret.error()))
    return secret.error();
  auto requests = session.list<api::CertificateRequest>(ns);
  if (!requests)
    return requests.error();
  in.request = current_request(in.certificate, *requests);
  std::vector<ObjectKey> about{{.kind = "Certificate", .name = name}};
  if (in.request) {
    about.push_back({.kind = "CertificateRequest", .name = in.request->metadata.name});
    auto orders = session.list<api::Order>(ns);
    if (!orders)
      return orders.error();
    in.order = order_of(*in.request, *orders);
  }
  if (in.order) {
    about.push_back({.kind = "Order", .name = in.order->metadata.name});
    auto challenges = session.list<api::Challenge>(ns);
    if (!challenges)
      return challenges.error();
    in.challenges = challenges_of(*in.order, *challenges);
    for (const auto& c : in.challenges)
      about.push_back({.kind = "Challenge", .name = c.metadata.name});
  }
  auto events = session.list<api::Event>(ns);
  if (!events)
    return events.error();
  in.events = events_about(about, *events);
  return in;
}

// The -o json|yaml document: the objects as the API has them, except the
// Secret, of which only its name, type and data keys (never their values).
json::value status_document(const StatusInput& in, const Verdict& verdict) {
  json::object doc;
  json::array causes;
  for (const auto& c : verdict.causes)
    causes.emplace_back(c);
  doc["verdict"] = json::object{
      {"ready", verdict.well}, {"headline", verdict.headline}, {"causes", std::move(causes)}};
  doc["certificate"] = json_of(api::encode(in.certificate));
  json::object secret{{"name", in.certificate.spec.secret_name}, {"exists", in.secret.has_value()}};
  if (in.secret) {
    json::array keys;
    for (const auto& [k, v] : in.secret->data)
      keys.emplace_back(k);
    secret["type"] = in.secret->type;
    secret["dataKeys"] = std::move(keys);
  }
  doc["secret"] = std::move(secret);
  doc["certificateRequest"] = in.request ? json_of(api::encode(*in.request)) : json::value();
  doc["order"] = in.order ? json_of(api::encode(*in.order)) : json::value();
  json::array challenges, events;
  for (const auto& c : in.challenges)
    challenges.push_back(json_of(api::encode(c)));
  for (const auto& e : in.events)
    events.push_back(json_of(api::encode(e)));
  doc["challenges"] = std::move(challenges);
  doc["events"] = std::move(events);
  return doc;
}

}  // namespace

int status(Args args) {
  cli::FlagSet flags("certmill status certificate NAME",
                     "Shows a Certificate's state and why it is not Ready: its conditions,\n"
                     "Secret, current CertificateRequest, Order, Challenges and Events (as\n"
                     "cmctl status certificate). Exit code 0 when Ready, 1 when not or when\n"
                     "it does not exist, 2 for usage errors, 3 when the API cannot be asked.");
  OpsFlags ops;
  ops.add_to(flags, false, {"json", "yaml"});
  std::vector<std::string> positional;
  if (int code = parse_command(flags, args, 2, positional); code >= 0)
    return code;
  if (positional[0] != "certificate" && positional[0] != "certificates" &&
      positional[0] != "cert") {
    std::fprintf(stderr, "certmill: status knows \"certificate\", not \"%s\"\n",
                 positional[0].c_str());
    return kExitUsage;
  }
  auto session = open_or_report(ops);
  if (!session)
    return kExitApi;
  const std::string& ns = session->namespace_();
  auto in = read_status(*session, ns, positional[1]);
  if (!in)
    return report_error(*session, in.error(), "certificate " + ns + "/" + positional[1],
                        "cert-manager.io/v1");
  const Time now = now_seconds();
  if (!ops.output.empty()) {
    const Verdict verdict = status_verdict(*in, now);
    print_structured(status_document(*in, verdict), ops.output);
    return verdict.well ? kExitOk : kExitNotWell;
  }
  const StatusReport report = status_report(*in, now, stdout_paint());
  std::fputs(report.text.c_str(), stdout);
  return report.well ? kExitOk : kExitNotWell;
}

}  // namespace certmill::cmd
