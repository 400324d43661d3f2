// The Cloud DNS front: the OAuth paths, then the token, then the route,
// answers in Cloud DNS's JSON.
#include "tools/dns-api-sim/clouddns.hpp"

#include <algorithm>
#include <map>
#include <variant>

#include <boost/json.hpp>

#include "solvers/dns/clouddns/answer.hpp"
#include "tools/dns-api-sim/clouddns_auth.hpp"

namespace certmill::dnssim {
namespace {

namespace json = boost::json;

constexpr std::string_view kBase = "/dns/v1/projects/";
constexpr std::string_view kMetadataToken =
    "/computeMetadata/v1/instance/service-accounts/default/token";

// A set as a change names it; values unquoted.
struct Set {
  std::string name;  // normal_name'd
  std::int64_t ttl = 0;
  std::vector<std::string> values;
};

// Changes are "done" from the second time their status is asked.
struct Changes {
  std::map<std::string, json::object> made;  // by id
  std::map<std::string, int> asked;
};
Changes& changes() {
  static Changes state;
  return state;
}

// Managed zones are named after their DNS name: "example.test" -> "example-test".
std::string managed_name(const Zone& zone) {
  std::string out = zone.name;
  std::ranges::replace(out, '.', '-');
  return out;
}

const Zone* zone_named(const Sim& sim, std::string_view name) {
  for (const Zone& zone : sim.zones.zones()) {
    if (managed_name(zone) == name)
      return &zone;
  }
  return nullptr;
}

json::object set_json(const std::string& name, std::int64_t ttl,
                      const std::vector<std::string>& values) {
  json::array rrdatas;
  for (const std::string& value : values)
    rrdatas.emplace_back(solvers::clouddns::quote_txt(value));
  return {{"kind", "dns#resourceRecordSet"},
          {"name", name + "."},
          {"type", "TXT"},
          {"ttl", ttl},
          {"rrdatas", std::move(rrdatas)}};
}

std::optional<Set> current_set(const Sim& sim, const Zone& zone, const std::string& name) {
  const std::vector<TxtEntry> entries = sim.zones.txt(zone.id, name);
  if (entries.empty())
    return std::nullopt;
  Set out{normal_name(name), entries.front().ttl, {}};
  for (const TxtEntry& entry : entries)
    out.values.push_back(entry.value);
  return out;
}

reactor::ServerResponse managed_zones(const Sim& sim, const Target& target) {
  const auto dns_name = target.query.find("dnsName");
  json::array out;
  for (const Zone& zone : sim.zones.zones()) {
    if (dns_name != target.query.end() && normal_name(dns_name->second) != zone.name)
      continue;
    out.push_back(json::object{{"kind", "dns#managedZone"},
                               {"name", managed_name(zone)},
                               {"dnsName", zone.name + "."},
                               {"id", zone.id},
                               {"visibility", "public"}});
  }
  return json_answer(200, json::serialize(json::object{{"kind", "dns#managedZonesListResponse"},
                                                       {"managedZones", out}}));
}

reactor::ServerResponse record_sets(const Sim& sim, const Zone& zone, const Target& target) {
  const auto name = target.query.find("name");
  const auto type = target.query.find("type");
  std::map<std::string, Set> sets;
  if (type == target.query.end() || type->second == "TXT") {
    for (const TxtEntry& entry : sim.zones.all()) {
      if (entry.zone_id != zone.id ||
          (name != target.query.end() && entry.name != normal_name(name->second)))
        continue;
      Set& set = sets[entry.name];
      set.ttl = entry.ttl;
      set.values.push_back(entry.value);
    }
  }
  json::array out;
  for (const auto& [set_name, set] : sets)
    out.push_back(set_json(set_name, set.ttl, set.values));
  return json_answer(200, json::serialize(json::object{
                              {"kind", "dns#resourceRecordSetsListResponse"}, {"rrsets", out}}));
}

// The sets of a change's "deletions" or "additions"; an error answer when
// one is malformed or outside the zone.
std::variant<std::vector<Set>, reactor::ServerResponse> sets_of(const json::object& change,
                                                                const std::string& field,
                                                                const Zone& zone) {
  std::vector<Set> out;
  const json::value* list = change.if_contains(field);
  if (!list)
    return out;
  if (!list->is_array())
    return google_error(400, "invalid", "INVALID_ARGUMENT", "Invalid value for " + field);
  for (const json::value& item : list->as_array()) {
    const std::string at = "entity.change." + field + "[" + std::to_string(out.size()) + "]";
    const json::object* set = item.if_object();
    const json::value* name = set ? set->if_contains("name") : nullptr;
    const json::value* rrdatas = set ? set->if_contains("rrdatas") : nullptr;
    if (!name || !name->is_string() || !rrdatas || !rrdatas->is_array())
      return google_error(400, "required", "INVALID_ARGUMENT", "Required field: " + at);
    if (!set->contains("type") || set->at("type") != "TXT")
      return google_error(400, "invalid", "INVALID_ARGUMENT",
                          "Invalid value for '" + at + ".type': this emulator holds TXT only");
    Set parsed{normal_name(std::string(name->as_string())), 0, {}};
    if (parsed.name != zone.name && !parsed.name.ends_with("." + zone.name))
      return google_error(
          400, "invalid", "INVALID_ARGUMENT",
          "Invalid value for '" + at + ".name': '" + std::string(name->as_string()) + "'");
    if (const json::value* ttl = set->if_contains("ttl"); ttl && ttl->is_int64())
      parsed.ttl = ttl->as_int64();
    for (const json::value& rrdata : rrdatas->as_array()) {
      if (rrdata.is_string())
        parsed.values.push_back(solvers::clouddns::unquote_txt(rrdata.as_string()));
    }
    out.push_back(std::move(parsed));
  }
  return out;
}

boost::asio::awaitable<reactor::ServerResponse> create_change(const reactor::ServerRequest& request,
                                                              Sim& sim, const Zone& zone) {
  json::error_code ec;
  const json::value body = json::parse(request.body, ec);
  if (ec || !body.is_object())
    co_return google_error(400, "parseError", "INVALID_ARGUMENT", "Parse Error");
  auto deleting = sets_of(body.as_object(), "deletions", zone);
  if (auto* refused = std::get_if<reactor::ServerResponse>(&deleting))
    co_return *refused;
  auto adding = sets_of(body.as_object(), "additions", zone);
  if (auto* refused = std::get_if<reactor::ServerResponse>(&adding))
    co_return *refused;
  const std::vector<Set>& deletions = std::get<0>(deleting);
  const std::vector<Set>& additions = std::get<0>(adding);
  std::vector<std::string> deleted;
  for (std::size_t i = 0; i < deletions.size(); ++i) {
    Set wanted = deletions[i];
    std::optional<Set> current = current_set(sim, zone, wanted.name);
    if (current) {
      std::ranges::sort(current->values);
      std::ranges::sort(wanted.values);
    }
    if (!current || current->values != wanted.values || current->ttl != wanted.ttl)
      co_return google_error(
          412, "conditionNotMet", "FAILED_PRECONDITION",
          "Precondition not met for 'entity.change.deletions[" + std::to_string(i) + "]'");
    deleted.push_back(wanted.name);
  }
  for (std::size_t i = 0; i < additions.size(); ++i) {
    const Set& added = additions[i];
    if (current_set(sim, zone, added.name) &&
        std::ranges::find(deleted, added.name) == deleted.end())
      co_return google_error(409, "alreadyExists", "ALREADY_EXISTS",
                             "The resource 'entity.change.additions[" + std::to_string(i) +
                                 "]' named '" + added.name + ". (TXT)' already exists");
  }
  // Each name ends with its addition, or with nothing when only deleted.
  std::map<std::string, Set> outcome;
  for (const Set& set : deletions)
    outcome[set.name] = Set{set.name, set.ttl, {}};
  for (const Set& set : additions)
    outcome[set.name] = set;
  // The whole change is made in the store before BIND is told, so a change
  // arriving meanwhile sees it all, as Cloud DNS applies a change atomically.
  std::vector<Change> made_here;
  for (const auto& [name, set] : outcome)
    made_here.push_back(sim.zones.replace(zone.id, name, set.values, static_cast<int>(set.ttl)));
  for (const Change& change : made_here) {
    if (Status written = co_await sim.dns.apply(change); !written)
      co_return google_error(500, "backendError", "INTERNAL", written.error().message());
  }
  json::object made{{"kind", "dns#change"}, {"startTime", "2026-12-07T00:00:00.000Z"}};
  for (const auto& [field, sets] :
       {std::pair{"deletions", &deletions}, std::pair{"additions", &additions}}) {
    if (sets->empty())
      continue;  // Cloud DNS leaves an empty list out
    json::array echoed;
    for (const Set& set : *sets)
      echoed.push_back(set_json(set.name, set.ttl, set.values));
    made[field] = std::move(echoed);
  }
  const std::string id = std::to_string(changes().made.size() + 1);
  made["id"] = id;
  made["status"] = "pending";
  changes().made[id] = made;
  co_return json_answer(200, json::serialize(made));
}

reactor::ServerResponse change_status(const std::string& id) {
  const auto found = changes().made.find(id);
  if (found == changes().made.end())
    return google_error(404, "notFound", "NOT_FOUND",
                        "The 'parameters.changeId' resource named '" + id + "' does not exist.");
  json::object out = found->second;
  out["status"] = ++changes().asked[id] >= 2 ? "done" : "pending";
  return json_answer(200, json::serialize(out));
}

}  // namespace

boost::asio::awaitable<reactor::ServerResponse> clouddns(const reactor::ServerRequest& request,
                                                         Sim& sim) {
  const Target target = split_target(request.target);
  if (target.path == "/token" && request.method == "POST")
    co_return google_token(request, sim);
  if (target.path == kMetadataToken && request.method == "GET")
    co_return metadata_token(request);
  if (!target.path.starts_with(kBase))
    co_return google_error(404, "notFound", "NOT_FOUND", "Not Found");
  if (auto refused = check_bearer(request))
    co_return *refused;
  // {project}/managedZones[/{zone}[/rrsets | /changes[/{id}]]]; any project.
  std::vector<std::string> parts;
  for (std::string_view rest = std::string_view(target.path).substr(kBase.size());;) {
    const auto slash = rest.find('/');
    parts.emplace_back(rest.substr(0, slash));
    if (slash == std::string_view::npos)
      break;
    rest.remove_prefix(slash + 1);
  }
  if (parts.size() < 2 || parts[1] != "managedZones")
    co_return google_error(404, "notFound", "NOT_FOUND", "Not Found");
  if (parts.size() == 2 && request.method == "GET")
    co_return managed_zones(sim, target);
  const Zone* zone = zone_named(sim, parts[2]);
  if (!zone)
    co_return google_error(
        404, "notFound", "NOT_FOUND",
        "The 'parameters.managedZone' resource named '" + parts[2] + "' does not exist.");
  const std::string what = parts.size() > 3 ? parts[3] : std::string();
  if (parts.size() == 4 && what == "rrsets" && request.method == "GET")
    co_return record_sets(sim, *zone, target);
  if (parts.size() == 4 && what == "changes" && request.method == "POST")
    co_return co_await create_change(request, sim, *zone);
  if (parts.size() == 5 && what == "changes" && request.method == "GET")
    co_return change_status(parts[4]);
  co_return google_error(404, "notFound", "NOT_FOUND", "Not Found");
}

reactor::ServerResponse clouddns_failure(unsigned status) {
  if (status == 429)
    return google_error(429, "rateLimitExceeded", "RESOURCE_EXHAUSTED", "Rate Limit Exceeded");
  return google_error(status, "backendError", "INTERNAL", "Internal error encountered.");
}

}  // namespace certmill::dnssim
