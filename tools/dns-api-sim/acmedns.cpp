// The acme-dns front: the account checked against the body's subdomain as
// acme-dns's auth middleware does, then the update.
#include "tools/dns-api-sim/acmedns.hpp"

#include <algorithm>

#include <boost/json.hpp>

namespace certmill::dnssim {
namespace {

namespace json = boost::json;

// acme-dns keeps this many values per subdomain: a wildcard and its apex
// are proved at once.
constexpr std::size_t kKept = 2;
// A DNS-01 value: base64url of a SHA-256 digest.
constexpr std::size_t kTxtLength = 43;

reactor::ServerResponse refusal(unsigned status, std::string_view error) {
  return json_answer(status, json::serialize(json::object{{"error", error}}));
}

}  // namespace

boost::asio::awaitable<reactor::ServerResponse> acmedns(const reactor::ServerRequest& request,
                                                        Sim& sim) {
  if (split_target(request.target).path != "/update" || request.method != "POST")
    co_return refusal(404, "not_found");
  json::error_code ec;
  const json::value body = json::parse(request.body, ec);
  const json::object* fields = body.if_object();
  const json::value* subdomain = fields ? fields->if_contains("subdomain") : nullptr;
  const json::value* txt = fields ? fields->if_contains("txt") : nullptr;
  // A wrong user, key or subdomain is one answer: acme-dns tells no more.
  const std::string account =
      std::string(request.header("X-Api-User")) + ":" + std::string(request.header("X-Api-Key")) +
      ":" +
      (subdomain && subdomain->is_string() ? std::string(subdomain->as_string()) : std::string());
  if (ec || !subdomain || std::ranges::find(sim.credentials, account) == sim.credentials.end())
    co_return refusal(401, "forbidden");
  if (!txt || !txt->is_string() || txt->as_string().size() != kTxtLength)
    co_return refusal(400, "bad_txt");
  const Zone& zone = sim.zones.zones().front();
  const std::string name = std::string(subdomain->as_string()) + "." + zone.name;
  std::vector<std::string> values;
  for (const TxtEntry& entry : sim.zones.txt(zone.id, name))
    values.push_back(entry.value);
  values.emplace_back(txt->as_string());
  if (values.size() > kKept)
    values.erase(values.begin(), values.end() - kKept);
  const Change change = sim.zones.replace(zone.id, name, values, 1);
  if (Status written = co_await sim.dns.apply(change); !written)
    co_return refusal(500, "db_error");
  co_return json_answer(200, json::serialize(json::object{{"txt", txt->as_string()}}));
}

reactor::ServerResponse acmedns_failure(unsigned status) {
  return refusal(status, status == 429 ? "too_many_requests" : "internal_error");
}

}  // namespace certmill::dnssim
