// Route 53's REST-XML (API version 2013-04-01) and STS's query protocol
// (2011-06-15), in the shapes of their API references.
#include "solvers/dns/route53/api.hpp"

#include <algorithm>
#include <charconv>
#include <initializer_list>

#include "core/http_url.hpp"
#include "solvers/dns/route53/xml.hpp"

namespace certmill::solvers::route53 {
namespace {

std::string xml_escape(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// The root of `body`, which must be one of `roots` (by local name).
Result<XmlElement> root(std::string_view body, std::initializer_list<std::string_view> roots) {
  auto doc = parse_xml(body);
  if (!doc)
    return doc;
  if (std::find(roots.begin(), roots.end(), doc->local_name()) == roots.end())
    return Error(Errc::wrong_kind,
                 "expected <" + std::string(*roots.begin()) + ">, not <" + doc->name + ">");
  return doc;
}

// The child element `local` of `parent`, or an Error naming `path`.
Result<const XmlElement*> need(const XmlElement& parent, std::string_view local,
                               std::string_view path) {
  if (const XmlElement* c = parent.child(local))
    return c;
  return Error(Errc::missing_field, std::string(path) + " is missing");
}

// The non-empty text of the child element `local`.
Result<std::string> need_text(const XmlElement& parent, std::string_view local,
                              std::string_view path) {
  auto c = need(parent, local, path);
  if (!c)
    return c.error();
  if ((*c)->text.empty())
    return Error(Errc::missing_field, std::string(path) + " is empty");
  return (*c)->text;
}

std::string without_prefix(std::string id, std::string_view prefix) {
  if (std::string_view(id).starts_with(prefix))
    id.erase(0, prefix.size());
  return id;
}

std::string form_body(std::initializer_list<std::pair<std::string_view, std::string_view>> fields) {
  std::string out;
  for (const auto& [name, value] : fields)
    out += (out.empty() ? "" : "&") + std::string(name) + "=" + url_escape(value);
  return out;
}

}  // namespace

Result<std::string> change_request_body(const TxtChange& change) {
  if (change.name.empty())
    return Error(Errc::invalid_argument, "a TXT change needs a record name");
  if (change.set.values.empty())
    return Error(Errc::invalid_argument, "a TXT change needs at least one value");
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ChangeResourceRecordSetsRequest xmlns=\"" +
      std::string(kRoute53Xmlns) + "\"><ChangeBatch><Changes><Change><Action>" +
      (change.action == ChangeAction::upsert ? "UPSERT" : "DELETE") +
      "</Action><ResourceRecordSet><Name>" + xml_escape(change.name) +
      "</Name><Type>TXT</Type><TTL>" + std::to_string(change.set.ttl) + "</TTL><ResourceRecords>";
  for (const std::string& value : change.set.values)
    out += "<ResourceRecord><Value>" + xml_escape(quote_txt(value)) + "</Value></ResourceRecord>";
  return out +
         "</ResourceRecords></ResourceRecordSet></Change></Changes></ChangeBatch>"
         "</ChangeResourceRecordSetsRequest>";
}

Result<ChangeInfo> parse_change_info(std::string_view body) {
  auto doc = root(body, {"ChangeResourceRecordSetsResponse", "GetChangeResponse"});
  if (!doc)
    return doc.error();
  auto info = need(*doc, "ChangeInfo", "ChangeInfo");
  if (!info)
    return info.error();
  auto id = need_text(**info, "Id", "ChangeInfo.Id");
  auto status = need_text(**info, "Status", "ChangeInfo.Status");
  if (!id || !status)
    return id ? status.error() : id.error();
  if (*status != "PENDING" && *status != "INSYNC")
    return Error(Errc::invalid_value, "ChangeInfo.Status: unknown status " + *status);
  return ChangeInfo{without_prefix(std::move(*id), "/change/"),
                    *status == "INSYNC" ? ChangeStatus::insync : ChangeStatus::pending};
}

Result<std::optional<TxtRecordSet>> parse_txt_record_set(std::string_view body,
                                                         std::string_view name) {
  auto doc = root(body, {"ListResourceRecordSetsResponse"});
  if (!doc)
    return doc.error();
  auto sets = need(*doc, "ResourceRecordSets", "ResourceRecordSets");
  if (!sets)
    return sets.error();
  for (const XmlElement& set : (*sets)->children) {
    const XmlElement* set_name = set.child("Name");
    const XmlElement* type = set.child("Type");
    if (set.local_name() != "ResourceRecordSet" || !set_name || !type || type->text != "TXT" ||
        set.child("SetIdentifier") || !same_dns_name(set_name->text, name))
      continue;
    auto ttl_text = need_text(set, "TTL", "ResourceRecordSet.TTL");
    if (!ttl_text)
      return ttl_text.error();
    TxtRecordSet out;
    const char* end = ttl_text->data() + ttl_text->size();
    if (auto [ptr, ec] = std::from_chars(ttl_text->data(), end, out.ttl);
        ec != std::errc() || ptr != end)
      return Error(Errc::invalid_value, "ResourceRecordSet.TTL: not a TTL: " + *ttl_text);
    if (const XmlElement* records = set.child("ResourceRecords")) {
      for (const XmlElement& record : records->children) {
        if (record.local_name() != "ResourceRecord")
          continue;
        auto value = need(record, "Value", "ResourceRecord.Value");
        if (!value)
          return value.error();
        auto unquoted = unquote_txt((*value)->text);
        if (!unquoted)
          return unquoted.error();
        out.values.push_back(std::move(*unquoted));
      }
    }
    return std::optional<TxtRecordSet>(std::move(out));
  }
  return std::optional<TxtRecordSet>();
}

Result<std::vector<HostedZone>> parse_hosted_zones(std::string_view body) {
  auto doc = root(body, {"ListHostedZonesByNameResponse", "ListHostedZonesResponse"});
  if (!doc)
    return doc.error();
  auto zones = need(*doc, "HostedZones", "HostedZones");
  if (!zones)
    return zones.error();
  std::vector<HostedZone> out;
  for (const XmlElement& zone : (*zones)->children) {
    if (zone.local_name() != "HostedZone")
      continue;
    auto id = need_text(zone, "Id", "HostedZone.Id");
    auto name = need_text(zone, "Name", "HostedZone.Name");
    if (!id || !name)
      return id ? name.error() : id.error();
    const XmlElement* config = zone.child("Config");
    const XmlElement* private_zone = config ? config->child("PrivateZone") : nullptr;
    out.push_back({without_prefix(std::move(*id), "/hostedzone/"), std::move(*name),
                   private_zone && private_zone->text == "true"});
  }
  return out;
}

std::optional<std::string> public_zone_id(const std::vector<HostedZone>& zones,
                                          std::string_view zone) {
  for (const HostedZone& z : zones)
    if (!z.private_zone && same_dns_name(z.name, zone))
      return z.id;
  return std::nullopt;
}

Result<AwsError> parse_error(std::string_view body) {
  auto doc = root(body, {"ErrorResponse", "InvalidChangeBatch"});
  if (!doc)
    return doc.error();
  AwsError out;
  if (doc->local_name() == "InvalidChangeBatch") {
    out = {"Sender", "InvalidChangeBatch", {}};
    if (const XmlElement* messages = doc->child("Messages"))
      for (const XmlElement& m : messages->children)
        if (m.local_name() == "Message")
          out.message += (out.message.empty() ? "" : "; ") + m.text;
    return out;
  }
  auto error = need(*doc, "Error", "Error");
  if (!error)
    return error.error();
  auto code = need_text(**error, "Code", "Error.Code");
  if (!code)
    return code.error();
  out.code = std::move(*code);
  if (const XmlElement* type = (*error)->child("Type"))
    out.type = type->text;
  if (const XmlElement* message = (*error)->child("Message"))
    out.message = message->text;
  return out;
}

std::string assume_role_body(std::string_view role_arn, std::string_view session_name) {
  return form_body({{"Action", "AssumeRole"},
                    {"RoleArn", role_arn},
                    {"RoleSessionName", session_name},
                    {"Version", kStsVersion}});
}

std::string assume_role_with_web_identity_body(std::string_view role_arn,
                                               std::string_view session_name,
                                               std::string_view web_identity_token) {
  return form_body({{"Action", "AssumeRoleWithWebIdentity"},
                    {"RoleArn", role_arn},
                    {"RoleSessionName", session_name},
                    {"WebIdentityToken", web_identity_token},
                    {"Version", kStsVersion}});
}

Result<TemporaryCredentials> parse_assumed_role(std::string_view body) {
  auto doc = root(body, {"AssumeRoleResponse", "AssumeRoleWithWebIdentityResponse"});
  if (!doc)
    return doc.error();
  // AssumeRoleResponse holds AssumeRoleResult, and so on.
  const std::string result_name =
      std::string(doc->local_name().substr(0, doc->local_name().size() - 8)) + "Result";
  auto result = need(*doc, result_name, result_name);
  if (!result)
    return result.error();
  auto credentials = need(**result, "Credentials", "Credentials");
  if (!credentials)
    return credentials.error();
  const XmlElement& c = **credentials;
  auto key = need_text(c, "AccessKeyId", "Credentials.AccessKeyId");
  auto secret = need_text(c, "SecretAccessKey", "Credentials.SecretAccessKey");
  auto token = need_text(c, "SessionToken", "Credentials.SessionToken");
  auto expiration = need_text(c, "Expiration", "Credentials.Expiration");
  for (const auto* field : {&key, &secret, &token, &expiration})
    if (!*field)
      return field->error();
  auto time = parse_rfc3339(*expiration);
  if (!time)
    return Error(time.error().code(), "Credentials.Expiration: " + time.error().message());
  return TemporaryCredentials{{std::move(*key), std::move(*secret), std::move(*token)},
                              std::chrono::floor<std::chrono::seconds>(*time)};
}

}  // namespace certmill::solvers::route53
