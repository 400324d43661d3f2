// The DigitalOcean calls of a Challenge: the TXT records of a name, create,
// delete, each under /domains/{zone}/records.
#include "solvers/dns/digitalocean/provider.hpp"

#include "core/http_url.hpp"
#include "core/json/writer.hpp"
#include "solvers/dns/digitalocean/answer.hpp"

namespace certmill::solvers::digitalocean {
namespace {

// cert-manager's TTL for DigitalOcean; the shortest DigitalOcean allows is 30.
constexpr int kTtl = 60;
// One page holds every record of a name; DigitalOcean's default is 20.
constexpr const char* kPerPage = "200";

// The record's name as DigitalOcean takes it: relative to the domain, "@"
// for the apex.
std::string relative_name(const dns::TxtRecord& record) {
  if (record.fqdn == record.zone)
    return "@";
  if (record.fqdn.ends_with("." + record.zone))
    return record.fqdn.substr(0, record.fqdn.size() - record.zone.size() - 1);
  return record.fqdn;
}

std::string create_body(const dns::TxtRecord& record) {
  json::JsonWriter out;
  out.begin_object();
  out.key("type");
  out.string("TXT");
  out.key("name");
  out.string(relative_name(record));
  out.key("data");
  out.string(record.value);
  out.key("ttl");
  out.number(kTtl);
  out.end_object();
  return out.take();
}

std::string records_path(const dns::TxtRecord& record) {
  return "/domains/" + url_escape(record.zone) + "/records";
}

Error call_failed(const std::string& what, const reactor::HttpsResponse& answer) {
  return Error(Errc::invalid_value,
               "DigitalOcean refused to " + what + ": " + failure(answer.status, answer.body));
}

}  // namespace

boost::asio::awaitable<Result<reactor::HttpsResponse>> DigitalOceanProvider::call(
    std::string method, std::string path, std::string body,
    std::chrono::steady_clock::time_point deadline) {
  reactor::HttpsRequest request{.method = std::move(method), .url = std::move(path)};
  request.headers.push_back({"Authorization", "Bearer " + token_});
  request.headers.push_back({"Accept", "application/json"});
  if (!body.empty())
    request.headers.push_back({"Content-Type", "application/json"});
  request.body = std::move(body);
  co_return co_await api_.call(std::move(request), deadline);
}

boost::asio::awaitable<Result<std::vector<std::string>>> DigitalOceanProvider::record_ids(
    const dns::TxtRecord& record, std::chrono::steady_clock::time_point deadline) {
  // DigitalOcean filters by the full name, not the relative one it takes.
  auto answer = co_await call(
      "GET",
      records_path(record) + "?type=TXT&name=" + url_escape(record.fqdn) + "&per_page=" + kPerPage,
      {}, deadline);
  if (!answer)
    co_return answer.error();
  if (answer->status == 404)
    co_return Error(Errc::missing_field,
                    "DigitalOcean has no domain " + record.zone +
                        " that this token can see; check the domain's name and the token's "
                        "account (" +
                        failure(answer->status, answer->body) + ")");
  if (!dns::succeeded(*answer))
    co_return call_failed("list the TXT records of " + record.fqdn, *answer);
  auto found = txt_records(answer->body);
  if (!found)
    co_return found.error();
  std::vector<std::string> ids;
  for (const Record& each : *found) {
    if (each.data == record.value)
      ids.push_back(each.id);
  }
  co_return ids;
}

boost::asio::awaitable<Status> DigitalOceanProvider::add(
    const dns::TxtRecord& record, std::chrono::steady_clock::time_point deadline) {
  auto existing = co_await record_ids(record, deadline);
  if (!existing)
    co_return existing.error();
  if (!existing->empty())
    co_return Status{};
  auto answer = co_await call("POST", records_path(record), create_body(record), deadline);
  if (!answer)
    co_return answer.error();
  if (!dns::succeeded(*answer))
    co_return call_failed("create a TXT record for " + record.fqdn, *answer);
  co_return Status{};
}

boost::asio::awaitable<Status> DigitalOceanProvider::remove(
    const dns::TxtRecord& record, std::chrono::steady_clock::time_point deadline) {
  auto ids = co_await record_ids(record, deadline);
  if (!ids)
    co_return ids.error();
  for (const std::string& id : *ids) {
    auto answer = co_await call("DELETE", records_path(record) + "/" + id, {}, deadline);
    if (!answer)
      co_return answer.error();
    // Gone already (another remove raced this one) is what was wanted.
    if (!dns::succeeded(*answer) && answer->status != 404)
      co_return call_failed("delete the TXT record of " + record.fqdn, *answer);
  }
  co_return Status{};
}

boost::asio::awaitable<Result<std::unique_ptr<dns::DnsProvider>>> make_digitalocean_provider(
    const api::ACMEChallengeSolverDNS01& dns01, const dns::ProviderContext& context) {
  auto token = co_await dns::read_secret_field(context, dns01.digitalocean->token_secret_ref,
                                               "digitalocean.tokenSecretRef");
  if (!token)
    co_return token.error();
  auto api = dns::ProviderApi::create(context.executor, "DigitalOcean",
                                      context.api_url("digitalocean", kPublicApi));
  if (!api)
    co_return api.error();
  co_return std::make_unique<DigitalOceanProvider>(std::move(*api), std::move(*token));
}

}  // namespace certmill::solvers::digitalocean
