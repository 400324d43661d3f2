// The Azure DNS front: Entra's token endpoint, then ARM's record sets behind
// the tokens it issued.
#include "tools/dns-api-sim/azuredns.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include <boost/json.hpp>

namespace certmill::dnssim {
namespace {

namespace json = boost::json;

constexpr std::string_view kApiVersion = "2018-05-01";

// What the front has handed out: tokens, and each record set's ETag (by
// zone id and name), which changes with every write.
struct State {
  std::set<std::string> tokens;
  std::map<std::string, std::string> etags;
  int issued = 0;
};
State& state() {
  static State held;
  return held;
}

std::string lower(std::string text) {
  std::ranges::transform(text, text.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

reactor::ServerResponse entra_error(unsigned status, std::string_view error,
                                    std::string_view description) {
  // Entra appends trace ids and a timestamp to every description.
  return json_answer(status,
                     json::serialize(json::object{
                         {"error", error},
                         {"error_description", std::string(description) +
                                                   "\r\nTrace ID: 5c1a-sim\r\nCorrelation ID: "
                                                   "9e2b-sim\r\nTimestamp: 2026-12-07 00:00:00Z"},
                         {"trace_id", "5c1a-sim"}}));
}

reactor::ServerResponse arm_error(unsigned status, std::string_view code,
                                  std::string_view message) {
  return json_answer(
      status,
      json::serialize(json::object{{"error", json::object{{"code", code}, {"message", message}}}}));
}

reactor::ServerResponse token(const reactor::ServerRequest& request, const Sim& sim,
                              const std::string& tenant) {
  const Target form = split_target("/?" + request.body);
  const auto field = [&](const char* name) {
    const auto it = form.query.find(name);
    return it == form.query.end() ? std::string() : it->second;
  };
  if (field("grant_type") != "client_credentials")
    return entra_error(400, "unsupported_grant_type",
                       "AADSTS70003: The app requested an unsupported grant type.");
  if (!field("scope").ends_with("/.default"))
    return entra_error(400, "invalid_scope",
                       "AADSTS70011: The provided value for the input parameter 'scope' is not "
                       "valid.");
  const std::string client = field("client_id");
  const std::string presented =
      field("client_assertion").empty() ? field("client_secret") : field("client_assertion");
  if (presented.empty())
    return entra_error(400, "invalid_client",
                       "AADSTS7000216: 'client_assertion', 'client_secret' or 'request' is "
                       "required for the 'client_credentials' grant type.");
  bool tenant_known = false, client_known = false, accepted = false;
  for (const std::string& credential : sim.credentials) {
    const auto first = credential.find(':');
    const auto second = credential.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos ||
        credential.substr(0, first) != tenant)
      continue;
    tenant_known = true;
    if (credential.substr(first + 1, second - first - 1) != client)
      continue;
    client_known = true;
    accepted = accepted || credential.substr(second + 1) == presented;
  }
  if (!tenant_known)
    return entra_error(400, "invalid_tenant",
                       "AADSTS90002: Tenant '" + tenant +
                           "' not found. Check to make sure you have the correct tenant ID and "
                           "are signing into the correct cloud.");
  if (!client_known)
    return entra_error(400, "unauthorized_client",
                       "AADSTS700016: Application with identifier '" + client +
                           "' was not found in the directory '" + tenant + "'.");
  if (!accepted)
    return entra_error(401, "invalid_client",
                       "AADSTS7000215: Invalid client secret provided. Ensure the secret being "
                       "sent in the request is the client secret value, not the client secret "
                       "ID, for a secret added to app '" +
                           client + "'.");
  const std::string issued = "sim-arm-token-" + std::to_string(++state().issued);
  state().tokens.insert(issued);
  return json_answer(200, json::serialize(json::object{{"token_type", "Bearer"},
                                                       {"expires_in", 3599},
                                                       {"ext_expires_in", 3599},
                                                       {"access_token", issued}}));
}

struct SetAddress {
  const Zone* zone = nullptr;
  std::string name;  // relative, "@" for the apex
  std::string fqdn;
  std::string id;  // the ARM resource id
};

reactor::ServerResponse set_answer(unsigned status, const Sim& sim, const SetAddress& at) {
  const std::vector<TxtEntry> entries = sim.zones.txt(at.zone->id, at.fqdn);
  const std::string etag = state().etags[at.zone->id + " " + at.fqdn];
  json::array records;
  for (const TxtEntry& entry : entries)
    records.push_back(json::object{{"value", json::array{json::string(entry.value)}}});
  reactor::ServerResponse out = json_answer(
      status, json::serialize(json::object{
                  {"id", at.id},
                  {"name", at.name},
                  {"type", "Microsoft.Network/dnszones/TXT"},
                  {"etag", etag},
                  {"properties", json::object{{"fqdn", at.fqdn + "."},
                                              {"TTL", entries.empty() ? 0 : entries.front().ttl},
                                              {"TXTRecords", std::move(records)},
                                              {"provisioningState", "Succeeded"}}}}));
  out.headers.push_back({"ETag", etag});
  return out;
}

// The If-Match / If-None-Match of a write, against the set as it is.
std::optional<reactor::ServerResponse> precondition(const reactor::ServerRequest& request,
                                                    const std::string& current) {
  const std::string match(request.header("If-Match"));
  const std::string none_match(request.header("If-None-Match"));
  if (!match.empty() && match != current)
    return arm_error(412, "PreconditionFailed",
                     "The condition '" + match +
                         "' in the If-Match header was not satisfied. "
                         "The current was '" +
                         (current.empty() ? "n/a" : current) + "'.");
  if (none_match == "*" && !current.empty())
    return arm_error(412, "PreconditionFailed",
                     "The condition '*' in the If-None-Match header was not satisfied. The "
                     "current was '" +
                         current + "'.");
  return std::nullopt;
}

// The values of a PUT body's TXTRecords, each record's strings joined.
std::optional<std::pair<std::vector<std::string>, int>> put_values(std::string_view body) {
  json::error_code ec;
  const json::value parsed = json::parse(body, ec);
  const json::object* properties = nullptr;
  if (!ec && parsed.is_object() && parsed.as_object().contains("properties"))
    properties = parsed.at("properties").if_object();
  const json::array* records = properties && properties->contains("TXTRecords")
                                   ? properties->at("TXTRecords").if_array()
                                   : nullptr;
  if (!records)
    return std::nullopt;
  std::vector<std::string> values;
  for (const json::value& record : *records) {
    const json::array* strings = record.is_object() && record.as_object().contains("value")
                                     ? record.at("value").if_array()
                                     : nullptr;
    if (!strings)
      return std::nullopt;
    std::string value;
    for (const json::value& part : *strings) {
      if (!part.is_string())
        return std::nullopt;
      value += part.as_string();
    }
    values.push_back(std::move(value));
  }
  const json::value* ttl = properties->if_contains("TTL");
  return std::pair{std::move(values),
                   ttl && ttl->is_int64() ? static_cast<int>(ttl->as_int64()) : 3600};
}

boost::asio::awaitable<reactor::ServerResponse> record_set(const reactor::ServerRequest& request,
                                                           Sim& sim, const SetAddress& at) {
  std::string& etag = state().etags[at.zone->id + " " + at.fqdn];
  const bool exists = !sim.zones.txt(at.zone->id, at.fqdn).empty();
  if (!exists)
    etag.clear();
  if (request.method == "GET") {
    if (!exists)
      co_return json_answer(
          404, json::serialize(json::object{
                   {"code", "NotFound"},
                   {"message", "The resource record '" + at.name +
                                   "' does not exist in resource group '" + kAzureResourceGroup +
                                   "' of subscription '" + kAzureSubscription + "'."}}));
    co_return set_answer(200, sim, at);
  }
  if (request.method != "PUT" && request.method != "DELETE")
    co_return arm_error(405, "MethodNotAllowed", "The requested method is not allowed.");
  if (auto refused = precondition(request, etag))
    co_return *refused;
  std::vector<std::string> values;
  int ttl = 0;
  if (request.method == "PUT") {
    auto wanted = put_values(request.body);
    if (!wanted)
      co_return arm_error(400, "BadRequest",
                          "The request body is not a valid TXT record set: properties.TXTRecords "
                          "must list records of {\"value\": [strings]}.");
    values = std::move(wanted->first);
    ttl = wanted->second;
  } else if (!exists) {
    co_return reactor::ServerResponse{.status = 204, .headers = {}, .body = {}};
  }
  // The set and its ETag change together, before BIND is told: a write
  // that arrives meanwhile must meet the new ETag, as ARM's would.
  const Change change = sim.zones.replace(at.zone->id, at.fqdn, values, ttl);
  etag = values.empty() ? std::string() : "e7a9" + std::to_string(++state().issued) + "-sim-etag";
  if (Status written = co_await sim.dns.apply(change); !written)
    co_return arm_error(500, "InternalServerError", written.error().message());
  if (request.method == "DELETE")
    co_return reactor::ServerResponse{.status = 200, .headers = {}, .body = {}};
  co_return set_answer(exists ? 200 : 201, sim, at);
}

// "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/dnsZones/{zone}/TXT/{name}"
boost::asio::awaitable<reactor::ServerResponse> arm(const reactor::ServerRequest& request, Sim& sim,
                                                    const Target& target) {
  const std::string_view authorization = request.header("Authorization");
  if (authorization.empty())
    co_return arm_error(401, "AuthenticationFailed",
                        "Authentication failed. The 'Authorization' header is missing.");
  if (!authorization.starts_with("Bearer ") ||
      !state().tokens.contains(std::string(authorization.substr(7))))
    co_return arm_error(401, "InvalidAuthenticationToken", "The access token is invalid.");
  const auto version = target.query.find("api-version");
  if (version == target.query.end())
    co_return arm_error(400, "MissingApiVersionParameter",
                        "The api-version query parameter (?api-version=) is required for all "
                        "requests.");
  if (version->second != kApiVersion)
    co_return arm_error(400, "InvalidApiVersionParameter",
                        "The api-version '" + version->second + "' is invalid.");
  std::vector<std::string> parts;
  for (std::string_view rest = std::string_view(target.path).substr(1); !rest.empty();) {
    const auto slash = rest.find('/');
    parts.emplace_back(rest.substr(0, slash));
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
  }
  if (parts.size() != 10 || lower(parts[2]) != "resourcegroups" || lower(parts[4]) != "providers" ||
      lower(parts[5]) != "microsoft.network" || lower(parts[6]) != "dnszones")
    co_return arm_error(404, "InvalidResourceType", "The resource type could not be found.");
  if (parts[1] != kAzureSubscription)
    co_return arm_error(404, "SubscriptionNotFound",
                        "The subscription '" + parts[1] + "' could not be found.");
  if (lower(parts[3]) != kAzureResourceGroup)
    co_return arm_error(404, "ResourceGroupNotFound",
                        "Resource group '" + parts[3] + "' could not be found.");
  const Zone* zone = sim.zones.zone_by_name(parts[7]);
  if (!zone)
    co_return arm_error(404, "ResourceNotFound",
                        "The Resource 'Microsoft.Network/dnszones/" + parts[7] +
                            "' under resource group '" + parts[3] + "' was not found.");
  if (lower(parts[8]) != "txt")
    co_return arm_error(400, "BadRequest", "This emulator holds TXT record sets only.");
  const std::string fqdn = parts[9] == "@" ? zone->name : normal_name(parts[9] + "." + zone->name);
  co_return co_await record_set(request, sim,
                                {.zone = zone, .name = parts[9], .fqdn = fqdn, .id = target.path});
}

}  // namespace

boost::asio::awaitable<reactor::ServerResponse> azuredns(const reactor::ServerRequest& request,
                                                         Sim& sim) {
  const Target target = split_target(request.target);
  constexpr std::string_view kToken = "/oauth2/v2.0/token";
  if (target.path.ends_with(kToken) && request.method == "POST")
    co_return token(request, sim, target.path.substr(1, target.path.size() - kToken.size() - 1));
  if (target.path.starts_with("/subscriptions/"))
    co_return co_await arm(request, sim, target);
  co_return arm_error(404, "NotFound", "No route for " + target.path);
}

reactor::ServerResponse azuredns_failure(unsigned status) {
  if (status == 429)
    return arm_error(429, "TooManyRequests",
                     "The request is being throttled as the limit has been reached for operation "
                     "type - Write_ObservationWindow_00:01:00.");
  return arm_error(status, "InternalServerError", "Encountered internal server error.");
}

}  // namespace certmill::dnssim
