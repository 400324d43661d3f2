// The Azure DNS calls of a Challenge: the name's TXT record set read, then
// written whole with its ETag, read again when another writer got there first.
#include "solvers/dns/azuredns/provider.hpp"

#include <algorithm>
#include <array>

#include "core/http_url.hpp"

namespace certmill::solvers::azuredns {
namespace {

constexpr const char* kApiVersion = "2018-05-01";
// cert-manager's TTL for the sets it creates; a set that exists keeps its own.
constexpr int64_t kTtl = 60;
// Each 412 means another writer changed the set after it was read: it is
// read again and the write retried, this many times at most.
constexpr int kAttempts = 5;
constexpr const char* kImds = "http://169.254.169.254";

// 404 codes that mean the set's zone, resource group or subscription is
// missing, rather than the set.
constexpr std::array<std::string_view, 4> kParentMissing{
    "ResourceNotFound", "ParentResourceNotFound", "ResourceGroupNotFound", "SubscriptionNotFound"};

std::string without_dot(std::string name) {
  while (name.ends_with('.'))
    name.pop_back();
  return name;
}

// The record set's name as Azure takes it: relative to the zone, "@" for the apex.
Result<std::string> relative_name(const std::string& fqdn, const std::string& zone) {
  const std::string name = without_dot(fqdn);
  if (name == zone)
    return std::string("@");
  if (name.ends_with("." + zone))
    return name.substr(0, name.size() - zone.size() - 1);
  return Error(Errc::invalid_value,
               "azureDNS: " + name + " is not in the zone " + zone + " (hostedZoneName)");
}

std::optional<std::size_t> index_of(const TxtSet& set, const std::string& value) {
  const auto it = std::ranges::find_if(
      set.records, [&](const TxtStrings& record) { return joined(record) == value; });
  if (it == set.records.end())
    return std::nullopt;
  return static_cast<std::size_t>(it - set.records.begin());
}

Error refused(const std::string& what, const reactor::HttpsResponse& answer) {
  return Error(Errc::invalid_value,
               "Azure DNS refused to " + what + ": " + failure(answer.status, answer.body));
}

}  // namespace

boost::asio::awaitable<Result<reactor::HttpsResponse>> AzureDnsProvider::call(
    reactor::HttpsRequest request, std::chrono::steady_clock::time_point deadline) {
  auto token = co_await tokens_.token(deadline);
  if (!token)
    co_return token.error();
  request.headers.push_back({"Authorization", "Bearer " + *token});
  request.headers.push_back({"Accept", "application/json"});
  if (!request.body.empty())
    request.headers.push_back({"Content-Type", "application/json"});
  auto answer = co_await arm_.call(std::move(request), deadline);
  // A token ARM no longer takes (revoked, or a clock that ran ahead) is not
  // offered again: the next call asks for a new one.
  if (answer && answer->status == 401)
    tokens_.forget();
  co_return answer;
}

boost::asio::awaitable<Result<std::optional<TxtSet>>> AzureDnsProvider::read(
    const std::string& path, const std::string& fqdn,
    std::chrono::steady_clock::time_point deadline) {
  auto answer = co_await call({.method = "GET", .url = path, .headers = {}, .body = {}}, deadline);
  if (!answer)
    co_return answer.error();
  if (answer->status == 404 &&
      std::ranges::find(kParentMissing, arm_error_code(answer->body)) == kParentMissing.end())
    co_return std::nullopt;
  if (answer->status == 404)
    co_return Error(Errc::invalid_value,
                    "Azure DNS has no zone for " + fqdn + " in resource group " +
                        settings_.resource_group_name + " of subscription " +
                        settings_.subscription_id +
                        " that these credentials can see; check hostedZoneName, "
                        "resourceGroupName and subscriptionID: " +
                        failure(answer->status, answer->body));
  if (!dns::succeeded(*answer))
    co_return refused("read the TXT records of " + fqdn, *answer);
  auto set = parse_txt_set(answer->body, answer->header("ETag"));
  if (!set)
    co_return set.error();
  co_return std::move(*set);
}

boost::asio::awaitable<Status> AzureDnsProvider::change(
    const dns::TxtRecord& record, bool adding, std::chrono::steady_clock::time_point deadline) {
  const std::string zone =
      without_dot(settings_.hosted_zone_name.empty() ? record.zone : settings_.hosted_zone_name);
  auto name = relative_name(record.fqdn, zone);
  if (!name)
    co_return name.error();
  const std::string path = "/subscriptions/" + url_escape(settings_.subscription_id) +
                           "/resourceGroups/" + url_escape(settings_.resource_group_name) +
                           "/providers/Microsoft.Network/dnsZones/" + url_escape(zone) + "/TXT/" +
                           url_escape(*name) + "?api-version=" + kApiVersion;
  for (int attempt = 1; attempt <= kAttempts; ++attempt) {
    auto current = co_await read(path, record.fqdn, deadline);
    if (!current)
      co_return current.error();
    const auto found = *current ? index_of(**current, record.value) : std::nullopt;
    if (found.has_value() == adding)
      co_return Status{};
    TxtSet wanted = current->value_or(TxtSet{.etag = {}, .ttl = kTtl, .records = {}});
    if (wanted.ttl <= 0)
      wanted.ttl = kTtl;
    if (adding)
      wanted.records.push_back({record.value});
    else
      wanted.records.erase(wanted.records.begin() + static_cast<std::ptrdiff_t>(*found));
    reactor::HttpsRequest request{
        .method = wanted.records.empty() ? "DELETE" : "PUT",
        .url = path,
        .headers = {},
        .body = wanted.records.empty() ? std::string() : txt_set_body(wanted.ttl, wanted.records)};
    if (!wanted.etag.empty())
      request.headers.push_back({"If-Match", wanted.etag});
    else if (!*current)
      request.headers.push_back({"If-None-Match", "*"});
    auto answer = co_await call(std::move(request), deadline);
    if (!answer)
      co_return answer.error();
    if (answer->status == 412)
      continue;
    if (!dns::succeeded(*answer))
      co_return refused("write the TXT records of " + record.fqdn, *answer);
    co_return Status{};
  }
  co_return Error(Errc::invalid_value, "Azure DNS: the TXT set of " + record.fqdn +
                                           " kept changing under certmill's writes (HTTP 412 "
                                           "each time); another writer is racing it");
}

boost::asio::awaitable<Status> AzureDnsProvider::add(
    const dns::TxtRecord& record, std::chrono::steady_clock::time_point deadline) {
  co_return co_await change(record, true, deadline);
}

boost::asio::awaitable<Status> AzureDnsProvider::remove(
    const dns::TxtRecord& record, std::chrono::steady_clock::time_point deadline) {
  co_return co_await change(record, false, deadline);
}

boost::asio::awaitable<Result<std::unique_ptr<dns::DnsProvider>>> make_azuredns_provider(
    const api::ACMEChallengeSolverDNS01& dns01, const dns::ProviderContext& context) {
  const api::ACMEIssuerDNS01ProviderAzureDNS& settings = *dns01.azure_dns;
  auto endpoints = cloud(settings.environment);
  if (!endpoints)
    co_return endpoints.error();
  if (settings.subscription_id.empty() || settings.resource_group_name.empty())
    co_return Error(Errc::missing_field,
                    "azureDNS: set subscriptionID and resourceGroupName, where the zone is");
  auto grant = co_await make_grant(settings, context);
  if (!grant)
    co_return grant.error();
  // One override serves both ARM and the Entra authority: a private
  // endpoint or the emulator has the token path beside ARM's. IMDS is the
  // node's own link-local service, never moved.
  const std::string override_url = context.api_url("azureDNS", "");
  const bool managed = grant->kind == Grant::Kind::managed_identity;
  auto arm =
      dns::ProviderApi::create(context.executor, "Azure Resource Manager",
                               override_url.empty() ? endpoints->resource_manager : override_url);
  auto login = dns::ProviderApi::create(
      context.executor, managed ? "IMDS" : "Microsoft Entra",
      managed ? kImds : (override_url.empty() ? endpoints->login : override_url));
  if (!arm)
    co_return arm.error();
  if (!login)
    co_return login.error();
  co_return std::make_unique<AzureDnsProvider>(
      std::move(*arm),
      AccessTokens(std::move(*login), std::move(*grant), endpoints->resource_manager), settings);
}

}  // namespace certmill::solvers::azuredns
