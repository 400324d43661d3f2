// The Cloudflare front: authentication first, then the route, each answer in
// the {"success", "errors", "messages", "result"} envelope.
#include "tools/dns-api-sim/cloudflare.hpp"

#include <algorithm>

#include <boost/json.hpp>

namespace certmill::dnssim {
namespace {

namespace json = boost::json;

constexpr std::string_view kBase = "/client/v4";

reactor::ServerResponse envelope(unsigned status, json::value result) {
  return json_answer(status, json::serialize(json::object{{"success", true},
                                                          {"errors", json::array{}},
                                                          {"messages", json::array{}},
                                                          {"result", std::move(result)}}));
}

reactor::ServerResponse refusal(unsigned status, int code, std::string_view message) {
  return json_answer(
      status, json::serialize(json::object{
                  {"success", false},
                  {"errors", json::array{json::object{{"code", code}, {"message", message}}}},
                  {"messages", json::array{}},
                  {"result", nullptr}}));
}

json::object record_json(const TxtEntry& entry, const Zone& zone) {
  return {{"id", entry.id},
          {"zone_id", zone.id},
          {"zone_name", zone.name},
          {"name", entry.name},
          {"type", "TXT"},
          {"content", entry.value},
          {"ttl", entry.ttl},
          {"proxiable", false},
          {"proxied", false},
          {"locked", false},
          {"created_on", "2026-12-07T00:00:00Z"}};
}

// A missing credential is a malformed request to Cloudflare; a wrong one is
// an authentication error.
std::optional<reactor::ServerResponse> authenticate(const reactor::ServerRequest& request,
                                                    const Sim& sim) {
  const std::string_view bearer = request.header("Authorization");
  const std::string_view email = request.header("X-Auth-Email");
  const std::string_view key = request.header("X-Auth-Key");
  std::string presented;
  if (bearer.starts_with("Bearer "))
    presented = std::string(bearer.substr(7));
  else if (!email.empty() && !key.empty())
    presented = std::string(email) + ":" + std::string(key);
  else
    return refusal(400, 6003, "Invalid request headers");
  if (std::ranges::find(sim.credentials, presented) == sim.credentials.end())
    return refusal(403, 10000, "Authentication error");
  return std::nullopt;
}

boost::asio::awaitable<reactor::ServerResponse> records(const reactor::ServerRequest& request,
                                                        Sim& sim, const Zone& zone,
                                                        std::string_view rest) {
  const Target target = split_target(request.target);
  if (rest.empty() && request.method == "GET") {
    const auto type = target.query.find("type");
    const auto name = target.query.find("name");
    json::array out;
    if (type == target.query.end() || type->second == "TXT") {
      for (const TxtEntry& entry :
           sim.zones.txt(zone.id, name == target.query.end() ? std::string() : name->second))
        out.push_back(record_json(entry, zone));
    }
    co_return envelope(200, std::move(out));
  }
  if (rest.empty() && request.method == "POST") {
    json::error_code ec;
    const json::value body = json::parse(request.body, ec);
    const json::object* fields = body.if_object();
    if (ec || !fields || !fields->contains("type") || !fields->contains("name") ||
        !fields->contains("content") || !fields->at("content").is_string())
      co_return refusal(400, 9207, "Request body is invalid.");
    if (fields->at("type") != "TXT")
      co_return refusal(400, 9004, "This emulator holds TXT records only.");
    const std::string name = normal_name(std::string(fields->at("name").as_string()));
    if (name != zone.name && !name.ends_with("." + zone.name))
      co_return refusal(400, 9005, "Content for A record is invalid. Must be a valid IPv4 address");
    const std::string content(fields->at("content").as_string());
    for (const TxtEntry& entry : sim.zones.txt(zone.id, name)) {
      if (entry.value == content)
        co_return refusal(400, 81057, "Record already exists.");
    }
    const int ttl = fields->contains("ttl") && fields->at("ttl").is_int64()
                        ? static_cast<int>(fields->at("ttl").as_int64())
                        : 1;
    auto [entry, change] = sim.zones.add(zone.id, name, content, ttl);
    if (Status written = co_await sim.dns.apply(change); !written)
      co_return refusal(500, 10001, "DNS write failed: " + written.error().message());
    co_return envelope(200, record_json(entry, zone));
  }
  if (!rest.empty() && request.method == "DELETE") {
    const std::string id(rest.substr(1));
    const TxtEntry* entry = sim.zones.entry(id);
    if (!entry || entry->zone_id != zone.id)
      co_return refusal(404, 81044, "Record does not exist.");
    const auto change = sim.zones.remove(id);
    if (Status written = co_await sim.dns.apply(*change); !written)
      co_return refusal(500, 10001, "DNS write failed: " + written.error().message());
    co_return envelope(200, json::object{{"id", id}});
  }
  co_return refusal(405, 10000, "Method not allowed for this route");
}

}  // namespace

boost::asio::awaitable<reactor::ServerResponse> cloudflare(const reactor::ServerRequest& request,
                                                           Sim& sim) {
  const Target target = split_target(request.target);
  if (!target.path.starts_with(kBase))
    co_return refusal(404, 7000, "No route for that URI");
  if (auto refused = authenticate(request, sim))
    co_return *refused;
  const std::string_view path = std::string_view(target.path).substr(kBase.size());
  if (path == "/zones" && request.method == "GET") {
    const auto name = target.query.find("name");
    json::array out;
    for (const Zone& zone : sim.zones.zones()) {
      if (name == target.query.end() || zone.name == normal_name(name->second))
        out.push_back(json::object{{"id", zone.id}, {"name", zone.name}, {"status", "active"}});
    }
    co_return envelope(200, std::move(out));
  }
  constexpr std::string_view kZones = "/zones/";
  constexpr std::string_view kRecords = "/dns_records";
  if (path.starts_with(kZones)) {
    const std::string_view after = path.substr(kZones.size());
    const auto slash = after.find('/');
    const Zone* zone = sim.zones.zone_by_id(std::string(after.substr(0, slash)));
    const std::string_view rest =
        slash == std::string_view::npos ? std::string_view() : after.substr(slash);
    if (!zone)
      co_return refusal(400, 7003,
                        "Could not route to " + std::string(path) +
                            ", perhaps your object identifier is invalid?");
    if (rest.starts_with(kRecords))
      co_return co_await records(request, sim, *zone, rest.substr(kRecords.size()));
  }
  co_return refusal(400, 7003, "Could not route to " + std::string(path));
}

reactor::ServerResponse cloudflare_failure(unsigned status) {
  if (status == 429)
    return refusal(429, 971, "Please wait and consider throttling your request speed");
  return refusal(status, 10001, "Internal server error");
}

}  // namespace certmill::dnssim
