// The Cloudflare calls of a Challenge: the zone by name, the TXT records of
// a name, create, delete.
#include "solvers/dns/cloudflare/provider.hpp"

#include "core/http_url.hpp"
#include "core/json/writer.hpp"
#include "solvers/dns/cloudflare/answer.hpp"

namespace certmill::solvers::cloudflare {
namespace {

// Cloudflare's shortest TTL for a zone on a free plan; a lower one is refused.
constexpr int kTtl = 120;

std::string create_body(const dns::TxtRecord& record) {
  json::JsonWriter out;
  out.begin_object();
  out.key("type");
  out.string("TXT");
  out.key("name");
  out.string(record.fqdn);
  out.key("content");
  out.string(record.value);
  out.key("ttl");
  out.number(kTtl);
  out.end_object();
  return out.take();
}

Error call_failed(const std::string& what, const reactor::HttpsResponse& answer) {
  return Error(Errc::invalid_value,
               "Cloudflare refused to " + what + ": " + failure(answer.status, answer.body));
}

}  // namespace

boost::asio::awaitable<Result<reactor::HttpsResponse>> CloudflareProvider::call(
    std::string method, std::string path, std::string body,
    std::chrono::steady_clock::time_point deadline) {
  reactor::HttpsRequest request{.method = std::move(method), .url = std::move(path)};
  request.headers = auth_;
  request.headers.push_back({"Accept", "application/json"});
  if (!body.empty())
    request.headers.push_back({"Content-Type", "application/json"});
  request.body = std::move(body);
  co_return co_await api_.call(std::move(request), deadline);
}

boost::asio::awaitable<Result<std::string>> CloudflareProvider::zone_id(
    const std::string& zone, std::chrono::steady_clock::time_point deadline) {
  if (zone_ && zone_->first == zone)
    co_return zone_->second;
  auto answer = co_await call("GET", "/zones?name=" + url_escape(zone), {}, deadline);
  if (!answer)
    co_return answer.error();
  if (!dns::succeeded(*answer))
    co_return call_failed("find the zone " + zone, *answer);
  auto id = cloudflare::zone_id(answer->body, zone);
  if (!id)
    co_return id.error();
  zone_ = {zone, *id};
  co_return std::move(*id);
}

boost::asio::awaitable<Result<std::vector<std::string>>> CloudflareProvider::record_ids(
    const std::string& zone_id, const dns::TxtRecord& record,
    std::chrono::steady_clock::time_point deadline) {
  auto answer = co_await call(
      "GET",
      "/zones/" + url_escape(zone_id) + "/dns_records?type=TXT&name=" + url_escape(record.fqdn), {},
      deadline);
  if (!answer)
    co_return answer.error();
  if (!dns::succeeded(*answer))
    co_return call_failed("list the TXT records of " + record.fqdn, *answer);
  auto found = records(answer->body);
  if (!found)
    co_return found.error();
  std::vector<std::string> ids;
  for (const Record& each : *found) {
    if (each.content == record.value)
      ids.push_back(each.id);
  }
  co_return ids;
}

boost::asio::awaitable<Status> CloudflareProvider::add(
    const dns::TxtRecord& record, std::chrono::steady_clock::time_point deadline) {
  auto zone = co_await zone_id(record.zone, deadline);
  if (!zone)
    co_return zone.error();
  auto existing = co_await record_ids(*zone, record, deadline);
  if (!existing)
    co_return existing.error();
  if (!existing->empty())
    co_return Status{};
  auto answer = co_await call("POST", "/zones/" + url_escape(*zone) + "/dns_records",
                              create_body(record), deadline);
  if (!answer)
    co_return answer.error();
  if (!dns::succeeded(*answer) && !already_exists(answer->body))
    co_return call_failed("create a TXT record for " + record.fqdn, *answer);
  co_return Status{};
}

boost::asio::awaitable<Status> CloudflareProvider::remove(
    const dns::TxtRecord& record, std::chrono::steady_clock::time_point deadline) {
  auto zone = co_await zone_id(record.zone, deadline);
  if (!zone)
    co_return zone.error();
  auto ids = co_await record_ids(*zone, record, deadline);
  if (!ids)
    co_return ids.error();
  for (const std::string& id : *ids) {
    auto answer = co_await call(
        "DELETE", "/zones/" + url_escape(*zone) + "/dns_records/" + url_escape(id), {}, deadline);
    if (!answer)
      co_return answer.error();
    // Gone already (another remove raced this one) is what was wanted.
    if (!dns::succeeded(*answer) && answer->status != 404)
      co_return call_failed("delete the TXT record of " + record.fqdn, *answer);
  }
  co_return Status{};
}

boost::asio::awaitable<Result<std::unique_ptr<dns::DnsProvider>>> make_cloudflare_provider(
    const api::ACMEChallengeSolverDNS01& dns01, const dns::ProviderContext& context) {
  const api::ACMEIssuerDNS01ProviderCloudflare& settings = *dns01.cloudflare;
  const bool token = settings.api_token_secret_ref.has_value();
  const bool key = settings.api_key_secret_ref.has_value();
  if (token && key)
    co_return Error(Errc::invalid_value,
                    "cloudflare: apiKeySecretRef and apiTokenSecretRef are both set; "
                    "keep one (an API token is the safer)");
  if (!token && !key)
    co_return Error(Errc::missing_field,
                    "cloudflare: set apiTokenSecretRef (or apiKeySecretRef and email)");
  std::vector<reactor::HttpHeader> auth;
  if (token) {
    auto secret = co_await dns::read_secret_field(context, *settings.api_token_secret_ref,
                                                  "cloudflare.apiTokenSecretRef");
    if (!secret)
      co_return secret.error();
    auth.push_back({"Authorization", "Bearer " + *secret});
  } else {
    if (settings.email.empty())
      co_return Error(Errc::missing_field,
                      "cloudflare: apiKeySecretRef needs email, the account's address");
    auto secret = co_await dns::read_secret_field(context, *settings.api_key_secret_ref,
                                                  "cloudflare.apiKeySecretRef");
    if (!secret)
      co_return secret.error();
    auth.push_back({"X-Auth-Email", settings.email});
    auth.push_back({"X-Auth-Key", *secret});
  }
  auto api = dns::ProviderApi::create(context.executor, "Cloudflare",
                                      context.api_url("cloudflare", kPublicApi));
  if (!api)
    co_return api.error();
  co_return std::make_unique<CloudflareProvider>(std::move(*api), std::move(auth));
}

}  // namespace certmill::solvers::cloudflare
