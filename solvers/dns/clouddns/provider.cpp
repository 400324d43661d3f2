// The Cloud DNS calls of a Challenge: the managed zone, the name's TXT set,
// the change, its status until done, and the set read back.
#include "solvers/dns/clouddns/provider.hpp"

#include <algorithm>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/http_url.hpp"
#include "solvers/dns/clouddns/answer.hpp"

namespace certmill::solvers::clouddns {
namespace {

// cert-manager's TTL for the TXT sets it creates in Cloud DNS.
constexpr std::int64_t kTtl = 60;
// Another writer may change the set between the read and the write: the set
// is read back after each change, and read this many times at most.
constexpr int kAttempts = 5;
constexpr std::chrono::seconds kStatusPoll{1};

std::string absolute(const std::string& name) {
  return name.ends_with('.') ? name : name + ".";
}

bool holds(const std::optional<RecordSet>& set, const std::string& value) {
  return set && std::ranges::any_of(set->rrdatas, [&](const std::string& rrdata) {
           return unquote_txt(rrdata) == value;
         });
}

// The set with `value` added or taken out; none when nothing is left.
std::optional<RecordSet> wanted_set(const dns::TxtRecord& record,
                                    const std::optional<RecordSet>& current, bool adding) {
  RecordSet out{.name = absolute(record.fqdn),
                .ttl = current ? current->ttl : kTtl,
                .rrdatas = current ? current->rrdatas : std::vector<std::string>()};
  if (adding)
    out.rrdatas.push_back(quote_txt(record.value));
  else
    std::erase_if(out.rrdatas,
                  [&](const std::string& rrdata) { return unquote_txt(rrdata) == record.value; });
  if (out.rrdatas.empty())
    return std::nullopt;
  return out;
}

Error refused(const std::string& what, const reactor::HttpsResponse& answer) {
  return Error(Errc::invalid_value,
               "Cloud DNS refused to " + what + ": " + failure(answer.status, answer.body));
}

}  // namespace

boost::asio::awaitable<Result<reactor::HttpsResponse>> CloudDnsProvider::call(
    std::string method, std::string path, std::string body,
    std::chrono::steady_clock::time_point deadline) {
  auto token = co_await tokens_.get(deadline);
  if (!token)
    co_return token.error();
  reactor::HttpsRequest request{
      .method = std::move(method),
      .url = "/projects/" + url_escape(project_) + path,
      .headers = {{"Authorization", "Bearer " + *token}, {"Accept", "application/json"}},
      .body = std::move(body)};
  if (!request.body.empty())
    request.headers.push_back({"Content-Type", "application/json"});
  auto answer = co_await api_.call(std::move(request), deadline);
  if (answer && answer->status == 401)
    tokens_.forget();
  co_return answer;
}

boost::asio::awaitable<Result<std::string>> CloudDnsProvider::call_ok(
    std::string method, std::string path, const std::string& what,
    std::chrono::steady_clock::time_point deadline) {
  auto answer = co_await call(std::move(method), std::move(path), {}, deadline);
  if (!answer)
    co_return answer.error();
  if (!dns::succeeded(*answer))
    co_return refused(what, *answer);
  co_return std::move(answer->body);
}

boost::asio::awaitable<Result<std::string>> CloudDnsProvider::zone_name(
    const std::string& zone, std::chrono::steady_clock::time_point deadline) {
  if (!hosted_zone_name_.empty())
    co_return hosted_zone_name_;
  if (zone_ && zone_->first == zone)
    co_return zone_->second;
  auto body = co_await call_ok("GET", "/managedZones?dnsName=" + url_escape(absolute(zone)),
                               "list the managed zones named " + zone, deadline);
  if (!body)
    co_return body.error();
  auto name = public_zone_name(*body, zone);
  if (!name)
    co_return name.error();
  zone_ = {zone, *name};
  co_return std::move(*name);
}

boost::asio::awaitable<Status> CloudDnsProvider::change(
    const dns::TxtRecord& record, bool adding, std::chrono::steady_clock::time_point deadline) {
  auto zone = co_await zone_name(record.zone, deadline);
  if (!zone)
    co_return zone.error();
  const std::string managed = "/managedZones/" + url_escape(*zone);
  for (int attempt = 1; attempt <= kAttempts; ++attempt) {
    auto listed = co_await call_ok(
        "GET", managed + "/rrsets?name=" + url_escape(absolute(record.fqdn)) + "&type=TXT",
        "list the TXT records of " + record.fqdn + " in the managed zone " + *zone, deadline);
    if (!listed)
      co_return listed.error();
    auto current = txt_set(*listed);
    if (!current)
      co_return current.error();
    if (holds(*current, record.value) == adding)
      co_return Status{};
    if (attempt == kAttempts)
      break;
    auto changed =
        co_await call("POST", managed + "/changes",
                      change_body(*current, wanted_set(record, *current, adding)), deadline);
    if (!changed)
      co_return changed.error();
    // The deletion no longer matches the set, or an addition meets a set
    // that appeared: another writer changed it; try again from a fresh read.
    if (changed->status == 409 || changed->status == 412)
      continue;
    if (!dns::succeeded(*changed))
      co_return refused("change the TXT records of " + record.fqdn, *changed);
    auto status = change_status(changed->body);
    while (status && !status->done) {
      boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, kStatusPoll);
      co_await timer.async_wait(boost::asio::use_awaitable);
      auto polled = co_await call_ok("GET", managed + "/changes/" + url_escape(status->id),
                                     "tell the status of change " + status->id, deadline);
      if (!polled)
        co_return polled.error();
      status = change_status(*polled);
    }
    if (!status)
      co_return status.error();
  }
  co_return Error(Errc::invalid_value, "Cloud DNS: the TXT set of " + record.fqdn +
                                           " kept changing under certmill's writes; another "
                                           "writer is racing it");
}

boost::asio::awaitable<Status> CloudDnsProvider::add(
    const dns::TxtRecord& record, std::chrono::steady_clock::time_point deadline) {
  co_return co_await change(record, true, deadline);
}

boost::asio::awaitable<Status> CloudDnsProvider::remove(
    const dns::TxtRecord& record, std::chrono::steady_clock::time_point deadline) {
  co_return co_await change(record, false, deadline);
}

boost::asio::awaitable<Result<std::unique_ptr<dns::DnsProvider>>> make_clouddns_provider(
    const api::ACMEChallengeSolverDNS01& dns01, const dns::ProviderContext& context) {
  const api::ACMEIssuerDNS01ProviderCloudDNS& settings = *dns01.cloud_dns;
  std::optional<AccessTokens> tokens;
  std::string project = settings.project;
  if (settings.service_account_secret_ref) {
    auto secret = co_await dns::read_secret_field(context, *settings.service_account_secret_ref,
                                                  "cloudDNS.serviceAccountSecretRef");
    if (!secret)
      co_return secret.error();
    auto key = parse_service_account_key(*secret);
    if (!key)
      co_return Error(key.error().code(),
                      "cloudDNS.serviceAccountSecretRef: " + key.error().message());
    if (project.empty())
      project = key->project_id;
    auto token_api = dns::ProviderApi::create(context.executor, "Google OAuth", key->token_uri);
    if (!token_api)
      co_return token_api.error();
    tokens.emplace(std::move(*key), std::move(*token_api));
  } else if (context.ambient_credentials) {
    auto metadata =
        dns::ProviderApi::create(context.executor, "GCE metadata", metadata_server_url());
    if (!metadata)
      co_return metadata.error();
    tokens.emplace(std::move(*metadata));
  } else {
    co_return Error(Errc::missing_field,
                    "cloudDNS: no serviceAccountSecretRef is set, and ambient credentials are off "
                    "for this issuer (--issuer-ambient-credentials, "
                    "--cluster-issuer-ambient-credentials); set serviceAccountSecretRef or enable "
                    "ambient credentials");
  }
  if (project.empty())
    co_return Error(Errc::missing_field,
                    "cloudDNS: project is empty; name the Google Cloud project of the zone");
  auto api = dns::ProviderApi::create(context.executor, "Cloud DNS",
                                      context.api_url("cloudDNS", kPublicApi));
  if (!api)
    co_return api.error();
  co_return std::make_unique<CloudDnsProvider>(std::move(*api), std::move(*tokens),
                                               std::move(project), settings.hosted_zone_name);
}

}  // namespace certmill::solvers::clouddns
