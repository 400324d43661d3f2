// The DigitalOcean front: authentication first, then /domains/{name}/records
// and /domains/{name}/records/{id}.
#include "tools/dns-api-sim/digitalocean.hpp"

#include <algorithm>

#include <boost/json.hpp>

namespace certmill::dnssim {
namespace {

namespace json = boost::json;

constexpr std::string_view kBase = "/v2";

reactor::ServerResponse refusal(unsigned status, std::string_view id, std::string_view message) {
  return json_answer(status, json::serialize(json::object{{"id", id}, {"message", message}}));
}

reactor::ServerResponse not_found() {
  return refusal(404, "not_found", "The resource you were accessing could not be found.");
}

// The store's ids are hex; DigitalOcean's are numbers: the counter part of one.
std::uint64_t numeric_id(const TxtEntry& entry) {
  return std::stoull(entry.id.substr(entry.id.size() - 16), nullptr, 16);
}

// DigitalOcean answers names relative to the domain, "@" for the apex.
std::string relative(const std::string& name, const Zone& zone) {
  return name == zone.name ? "@" : name.substr(0, name.size() - zone.name.size() - 1);
}

json::object record_json(const TxtEntry& entry, const Zone& zone) {
  return {{"id", numeric_id(entry)}, {"type", "TXT"},       {"name", relative(entry.name, zone)},
          {"data", entry.value},     {"priority", nullptr}, {"port", nullptr},
          {"ttl", entry.ttl},        {"weight", nullptr},   {"flags", nullptr},
          {"tag", nullptr}};
}

std::optional<reactor::ServerResponse> authenticate(const reactor::ServerRequest& request,
                                                    const Sim& sim) {
  const std::string_view bearer = request.header("Authorization");
  const std::string presented =
      bearer.starts_with("Bearer ") ? std::string(bearer.substr(7)) : std::string();
  if (presented.empty() || std::ranges::find(sim.credentials, presented) == sim.credentials.end())
    return refusal(401, "unauthorized", "Unable to authenticate you");
  return std::nullopt;
}

reactor::ServerResponse list(const Target& target, const Sim& sim, const Zone& zone) {
  const auto type = target.query.find("type");
  const auto name = target.query.find("name");
  json::array out;
  if (type == target.query.end() || type->second == "TXT") {
    for (const TxtEntry& entry :
         sim.zones.txt(zone.id, name == target.query.end() ? std::string() : name->second))
      out.push_back(record_json(entry, zone));
  }
  const std::size_t total = out.size();
  return json_answer(200, json::serialize(json::object{{"domain_records", std::move(out)},
                                                       {"links", json::object{}},
                                                       {"meta", {{"total", total}}}}));
}

boost::asio::awaitable<reactor::ServerResponse> create(const reactor::ServerRequest& request,
                                                       Sim& sim, const Zone& zone) {
  json::error_code ec;
  const json::value body = json::parse(request.body, ec);
  const json::object* fields = body.if_object();
  if (ec || !fields || !fields->contains("type") || !fields->contains("name") ||
      !fields->at("name").is_string() || !fields->contains("data") ||
      !fields->at("data").is_string())
    co_return refusal(422, "unprocessable_entity", "Name, type and data are required.");
  if (fields->at("type") != "TXT")
    co_return refusal(422, "unprocessable_entity", "This emulator holds TXT records only.");
  // The name is relative to the domain, "@" its apex; DigitalOcean takes a
  // name ending in the domain with a dot as the full name.
  std::string name(fields->at("name").as_string());
  if (name == "@" || name == zone.name + ".")
    name = zone.name;
  else if (!name.ends_with("." + zone.name + "."))
    name += "." + zone.name;
  const int ttl = fields->contains("ttl") && fields->at("ttl").is_int64()
                      ? static_cast<int>(fields->at("ttl").as_int64())
                      : 1800;
  auto [entry, change] =
      sim.zones.add(zone.id, name, std::string(fields->at("data").as_string()), ttl);
  if (Status written = co_await sim.dns.apply(change); !written)
    co_return refusal(500, "server_error", "DNS write failed: " + written.error().message());
  co_return json_answer(201,
                        json::serialize(json::object{{"domain_record", record_json(entry, zone)}}));
}

boost::asio::awaitable<reactor::ServerResponse> destroy(Sim& sim, const Zone& zone,
                                                        std::string_view id) {
  for (const TxtEntry& entry : sim.zones.txt(zone.id, {})) {
    if (std::to_string(numeric_id(entry)) != id)
      continue;
    const auto change = sim.zones.remove(entry.id);
    if (Status written = co_await sim.dns.apply(*change); !written)
      co_return refusal(500, "server_error", "DNS write failed: " + written.error().message());
    co_return reactor::ServerResponse{.status = 204, .headers = {}, .body = {}};
  }
  co_return not_found();
}

}  // namespace

boost::asio::awaitable<reactor::ServerResponse> digitalocean(const reactor::ServerRequest& request,
                                                             Sim& sim) {
  const Target target = split_target(request.target);
  if (!target.path.starts_with(kBase))
    co_return not_found();
  if (auto refused = authenticate(request, sim))
    co_return *refused;
  // /domains/{name}/records[/{id}]
  constexpr std::string_view kDomains = "/domains/";
  constexpr std::string_view kRecords = "/records";
  const std::string_view path = std::string_view(target.path).substr(kBase.size());
  if (!path.starts_with(kDomains))
    co_return not_found();
  const std::string_view after = path.substr(kDomains.size());
  const auto slash = after.find('/');
  const std::string_view rest =
      slash == std::string_view::npos ? std::string_view() : after.substr(slash);
  const Zone* zone = sim.zones.zone_by_name(std::string(after.substr(0, slash)));
  if (!zone || !rest.starts_with(kRecords))
    co_return not_found();
  const std::string_view id = rest.substr(kRecords.size());
  if (id.empty() && request.method == "GET")
    co_return list(target, sim, *zone);
  if (id.empty() && request.method == "POST")
    co_return co_await create(request, sim, *zone);
  if (id.starts_with('/') && request.method == "DELETE")
    co_return co_await destroy(sim, *zone, id.substr(1));
  co_return refusal(405, "method_not_allowed", "Method not allowed for this route");
}

reactor::ServerResponse digitalocean_failure(unsigned status) {
  if (status == 429)
    return refusal(429, "too_many_requests", "API Rate limit exceeded.");
  return refusal(status, "server_error", "Server was unable to give you a response.");
}

}  // namespace certmill::dnssim
