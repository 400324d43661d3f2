// The Route53 and STS front: the signature first, then the route, answers in
// Route53's XML.
#include "tools/dns-api-sim/route53.hpp"

#include <algorithm>

#include "solvers/dns/route53/txt_set.hpp"
#include "solvers/dns/route53/xml.hpp"
#include "tools/dns-api-sim/route53_auth.hpp"

namespace certmill::dnssim {
namespace {

namespace r53 = solvers::route53;

constexpr std::string_view kVersion = "/2013-04-01";
constexpr const char* kXmlns = "https://route53.amazonaws.com/doc/2013-04-01/";

std::string escaped(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

reactor::ServerResponse xml(unsigned status, std::string body) {
  return {.status = status,
          .headers = {{"Content-Type", "text/xml"}},
          .body = R"(<?xml version="1.0" encoding="UTF-8"?>)"
                  "\n" +
                  std::move(body)};
}

reactor::ServerResponse aws_error(unsigned status, std::string_view code,
                                  std::string_view message) {
  return xml(status, std::string("<ErrorResponse xmlns=\"") + kXmlns +
                         "\"><Error><Type>Sender</Type><Code>" + escaped(code) +
                         "</Code><Message>" + escaped(message) +
                         "</Message></Error><RequestId>sim</RequestId></ErrorResponse>");
}

reactor::ServerResponse invalid_batch(std::string_view message) {
  return xml(400, std::string("<InvalidChangeBatch xmlns=\"") + kXmlns + "\"><Messages><Message>" +
                      escaped(message) +
                      "</Message></Messages><RequestId>sim</RequestId></InvalidChangeBatch>");
}

// Route53's zone ids are 14 upper-case characters or so.
std::string zone_id(const Zone& zone) {
  return "Z" + zone.id.substr(zone.id.size() - 12);
}

const Zone* zone_of(const Sim& sim, std::string_view id) {
  for (const Zone& zone : sim.zones.zones()) {
    if (zone_id(zone) == id)
      return &zone;
  }
  return nullptr;
}

// Changes are INSYNC from the second time their status is asked.
struct Changes {
  std::map<std::string, int> asked;
  int made = 0;
};
Changes& changes() {
  static Changes state;
  return state;
}

reactor::ServerResponse change_info(std::string_view root, const std::string& id, bool insync) {
  return xml(200,
             std::string("<") + std::string(root) + " xmlns=\"" + kXmlns +
                 "\"><ChangeInfo><Id>/change/" + id + "</Id><Status>" +
                 (insync ? "INSYNC" : "PENDING") +
                 "</Status><SubmittedAt>2026-12-07T00:00:00.000Z</SubmittedAt></ChangeInfo></" +
                 std::string(root) + ">");
}

reactor::ServerResponse hosted_zones(const Sim& sim, const Target& target) {
  const auto name = target.query.find("dnsname");
  std::string body =
      std::string("<ListHostedZonesByNameResponse xmlns=\"") + kXmlns + "\"><HostedZones>";
  for (const Zone& zone : sim.zones.zones()) {
    if (name != target.query.end() && normal_name(name->second) != zone.name)
      continue;
    body += "<HostedZone><Id>/hostedzone/" + zone_id(zone) + "</Id><Name>" + zone.name +
            ".</Name><CallerReference>sim</CallerReference><Config><PrivateZone>false</"
            "PrivateZone></Config><ResourceRecordSetCount>2</ResourceRecordSetCount></HostedZone>";
  }
  return xml(200, body +
                      "</HostedZones><IsTruncated>false</IsTruncated><MaxItems>100</MaxItems></"
                      "ListHostedZonesByNameResponse>");
}

reactor::ServerResponse record_sets(const Sim& sim, const Zone& zone, const Target& target) {
  const auto name = target.query.find("name");
  std::string body =
      std::string("<ListResourceRecordSetsResponse xmlns=\"") + kXmlns + "\"><ResourceRecordSets>";
  const std::vector<TxtEntry> entries =
      sim.zones.txt(zone.id, name == target.query.end() ? std::string() : name->second);
  if (!entries.empty()) {
    body += "<ResourceRecordSet><Name>" + entries.front().name + ".</Name><Type>TXT</Type><TTL>" +
            std::to_string(entries.front().ttl) + "</TTL><ResourceRecords>";
    for (const TxtEntry& entry : entries)
      body += "<ResourceRecord><Value>" + escaped(r53::quote_txt(entry.value)) +
              "</Value></ResourceRecord>";
    body += "</ResourceRecords></ResourceRecordSet>";
  }
  return xml(200, body + "</ResourceRecordSets><IsTruncated>false</IsTruncated><MaxItems>" +
                      (target.query.contains("maxitems") ? target.query.at("maxitems") : "300") +
                      "</MaxItems></ListResourceRecordSetsResponse>");
}

boost::asio::awaitable<reactor::ServerResponse> change_sets(const reactor::ServerRequest& request,
                                                            Sim& sim, const Zone& zone) {
  auto document = r53::parse_xml(request.body);
  const r53::XmlElement* batch = document ? document->child("ChangeBatch") : nullptr;
  const r53::XmlElement* list = batch ? batch->child("Changes") : nullptr;
  if (!list || list->children.empty())
    co_return aws_error(400, "InvalidInput", "Invalid XML ; the request has no Changes");
  for (const r53::XmlElement& item : list->children) {
    const r53::XmlElement* action = item.child("Action");
    const r53::XmlElement* set = item.child("ResourceRecordSet");
    const r53::XmlElement* name = set ? set->child("Name") : nullptr;
    const r53::XmlElement* type = set ? set->child("Type") : nullptr;
    const r53::XmlElement* ttl = set ? set->child("TTL") : nullptr;
    const r53::XmlElement* records = set ? set->child("ResourceRecords") : nullptr;
    if (!action || !name || !type || !records)
      co_return aws_error(400, "InvalidInput", "Invalid XML ; a Change lacks a required element");
    if (type->text != "TXT")
      co_return invalid_batch("This emulator holds TXT records only");
    const std::string fqdn = normal_name(name->text);
    if (fqdn != zone.name && !fqdn.ends_with("." + zone.name))
      co_return invalid_batch("RRSet with DNS name " + name->text + " is not permitted in zone " +
                              zone.name + ".");
    std::vector<std::string> values;
    for (const r53::XmlElement& record : records->children) {
      const r53::XmlElement* value = record.child("Value");
      auto text = value ? r53::unquote_txt(value->text)
                        : Result<std::string>(Error(Errc::missing_field, "no Value"));
      if (!text)
        co_return invalid_batch("Invalid Resource Record: FATAL problem: InvalidCharacterString");
      values.push_back(std::move(*text));
    }
    std::vector<std::string> current;
    for (const TxtEntry& entry : sim.zones.txt(zone.id, fqdn))
      current.push_back(entry.value);
    if (action->text == "DELETE") {
      std::ranges::sort(current);
      std::vector<std::string> wanted = values;
      std::ranges::sort(wanted);
      if (current != wanted)
        co_return invalid_batch(
            "Tried to delete resource record set [name='" + fqdn +
            ".', type='TXT'] but the values provided do not match the current values");
      values.clear();
    } else if (action->text != "UPSERT" && action->text != "CREATE") {
      co_return aws_error(400, "InvalidInput", "Invalid XML ; unknown Action " + action->text);
    }
    const int seconds = ttl ? std::atoi(ttl->text.c_str()) : 300;
    const Change change = sim.zones.replace(zone.id, fqdn, values, seconds);
    if (Status written = co_await sim.dns.apply(change); !written)
      co_return aws_error(500, "InternalFailure", written.error().message());
  }
  const std::string id = "C" + std::to_string(1000 + ++changes().made);
  co_return change_info("ChangeResourceRecordSetsResponse", id, false);
}

// AssumeRole (signed with the caller's keys) and AssumeRoleWithWebIdentity
// (unsigned: the token is the proof; any ServiceAccount token is taken, as
// the emulator cannot ask the cluster's OIDC issuer). Either hands out a
// temporary key that the Route53 paths then accept.
reactor::ServerResponse assume_role(const Target& form, Sim& sim) {
  const std::string action = form.query.contains("Action") ? form.query.at("Action") : "";
  const auto role = form.query.find("RoleArn");
  if ((action != "AssumeRole" && action != "AssumeRoleWithWebIdentity") || role == form.query.end())
    return aws_error(400, "InvalidAction", "Could not find operation for this request");
  if (!role->second.starts_with("arn:aws:iam::"))
    return aws_error(403, "AccessDenied",
                     "Not authorized to perform sts:" + action + " on " + role->second);
  if (action == "AssumeRoleWithWebIdentity" &&
      (!form.query.contains("WebIdentityToken") || form.query.at("WebIdentityToken").empty()))
    return aws_error(400, "InvalidIdentityToken", "The web identity token is missing");
  const std::string n = std::to_string(sim.credentials.size());
  const AwsKey issued{"ASIASIM" + n, "temporary-secret-" + n, "session-token-" + n};
  sim.credentials.push_back(issued.access_key_id + ":" + issued.secret + ":" +
                            issued.session_token);
  return xml(200, "<" + action + "Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><" +
                      action + "Result><Credentials><AccessKeyId>" + issued.access_key_id +
                      "</AccessKeyId><SecretAccessKey>" + issued.secret +
                      "</SecretAccessKey><SessionToken>" + issued.session_token +
                      "</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></"
                      "Credentials><AssumedRoleUser><Arn>" +
                      escaped(role->second) +
                      "/cert-manager</Arn><AssumedRoleId>AROASIM:cert-manager</AssumedRoleId></"
                      "AssumedRoleUser></" +
                      action +
                      "Result><ResponseMetadata><RequestId>sim</RequestId></"
                      "ResponseMetadata></" +
                      action + "Response>");
}

}  // namespace

boost::asio::awaitable<reactor::ServerResponse> route53(const reactor::ServerRequest& request,
                                                        Sim& sim) {
  const Target target = split_target(request.target);
  const bool sts = target.path == "/" && request.method == "POST";
  const Target form = split_target("/?" + request.body);
  const bool web_identity = sts && form.query.contains("Action") &&
                            form.query.at("Action") == "AssumeRoleWithWebIdentity";
  if (web_identity)
    co_return assume_role(form, sim);
  if (auto [code, message] =
          check_sigv4(request, aws_keys(sim.credentials), sts ? "sts" : "route53");
      !code.empty())
    co_return aws_error(
        code == "SignatureDoesNotMatch" || code == "InvalidClientTokenId" ? 403 : 400, code,
        message);
  if (sts)
    co_return assume_role(form, sim);
  if (!target.path.starts_with(kVersion))
    co_return aws_error(404, "UnknownOperationException", "No such operation");
  const std::string_view path = std::string_view(target.path).substr(kVersion.size());
  if (path == "/hostedzonesbyname" && request.method == "GET")
    co_return hosted_zones(sim, target);
  constexpr std::string_view kChange = "/change/";
  if (path.starts_with(kChange) && request.method == "GET") {
    const std::string id(path.substr(kChange.size()));
    co_return change_info("GetChangeResponse", id, ++changes().asked[id] >= 2);
  }
  constexpr std::string_view kZone = "/hostedzone/";
  if (path.starts_with(kZone)) {
    std::string_view rest = path.substr(kZone.size());
    const std::string_view id = rest.substr(0, rest.find('/'));
    const Zone* zone = zone_of(sim, id);
    if (!zone)
      co_return aws_error(404, "NoSuchHostedZone",
                          "No hosted zone found with ID: " + std::string(id));
    rest = rest.substr(id.size());
    if ((rest == "/rrset" || rest == "/rrset/") && request.method == "GET")
      co_return record_sets(sim, *zone, target);
    if ((rest == "/rrset" || rest == "/rrset/") && request.method == "POST")
      co_return co_await change_sets(request, sim, *zone);
  }
  co_return aws_error(404, "UnknownOperationException", "No such operation");
}

reactor::ServerResponse route53_failure(unsigned status) {
  if (status == 429)
    return aws_error(429, "Throttling", "Rate exceeded");
  return aws_error(status, "InternalFailure",
                   "The request processing has failed because of an unknown error");
}

}  // namespace certmill::dnssim
