// The Route53 calls of a Challenge: the zone, the name's TXT set, the change,
// its status until INSYNC, and the set read back.
#include "solvers/dns/route53/provider.hpp"

#include <algorithm>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/http_url.hpp"
#include "solvers/dns/route53/api.hpp"
#include "solvers/dns/route53/credentials.hpp"

namespace certmill::solvers::route53 {
namespace {

constexpr std::string_view kVersion = "/2013-04-01";
// cert-manager's TTL for its TXT records.
constexpr std::uint32_t kTtl = 10;
// Another writer may change the set between the read and the write: the set
// is read back after each change, and read this many times at most.
constexpr int kAttempts = 5;
constexpr std::chrono::seconds kStatusPoll{1};

bool holds(const std::optional<TxtRecordSet>& set, const std::string& value) {
  return set && std::ranges::find(set->values, value) != set->values.end();
}

}  // namespace

boost::asio::awaitable<Result<Credentials>> Route53Provider::credentials(
    std::chrono::steady_clock::time_point deadline) {
  // Temporary keys are renewed a while before STS's expiry, not at it.
  constexpr std::chrono::minutes kEarly{5};
  const auto now =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  if (current_ && (!expires_ || *expires_ - kEarly > now))
    co_return *current_;
  Credentials keys;
  expires_.reset();
  if (identity_.keys) {
    keys = *identity_.keys;
  } else {
    auto token = co_await identity_.web->token();
    if (!token)
      co_return token.error();
    auto assumed =
        co_await assume_role_with_web_identity(sts_, identity_.web->role_arn, *token, deadline);
    if (!assumed)
      co_return assumed.error();
    keys = assumed->credentials;
    expires_ = assumed->expiration;
  }
  // With auth.kubernetes the role was the web identity's; otherwise `role`
  // is assumed with the keys found.
  if (!settings_.role.empty() && !settings_.auth) {
    auto assumed =
        co_await assume_role(sts_, keys, settings_.role, signing_region(settings_), deadline);
    if (!assumed)
      co_return assumed.error();
    keys = assumed->credentials;
    expires_ = expires_ ? std::min(*expires_, assumed->expiration) : assumed->expiration;
  }
  current_ = std::move(keys);
  co_return *current_;
}

boost::asio::awaitable<Result<std::string>> Route53Provider::call(
    std::string method, std::string path, std::string body, const std::string& what,
    std::chrono::steady_clock::time_point deadline) {
  auto keys = co_await credentials(deadline);
  if (!keys)
    co_return keys.error();
  reactor::HttpsRequest request{.method = std::move(method), .url = std::string(kVersion) + path};
  if (!body.empty())
    request.headers.push_back({"Content-Type", "text/xml"});
  request.body = std::move(body);
  // Route53 is signed for us-east-1 whatever the block's region: it is global.
  if (Status signed_ = sign(request, route53_, *keys, "us-east-1", "route53"); !signed_)
    co_return signed_.error();
  auto answer = co_await route53_.call(std::move(request), deadline);
  if (!answer)
    co_return answer.error();
  if (!dns::succeeded(*answer)) {
    auto error = parse_error(answer->body);
    co_return Error(Errc::invalid_value,
                    "Route53 refused to " + what + ": HTTP " + std::to_string(answer->status) +
                        (error ? ": " + error->code + ": " + error->message : std::string()));
  }
  co_return std::move(answer->body);
}

boost::asio::awaitable<Result<std::string>> Route53Provider::zone_id(
    const std::string& zone, std::chrono::steady_clock::time_point deadline) {
  if (!settings_.hosted_zone_id.empty())
    co_return settings_.hosted_zone_id;
  if (zone_ && zone_->first == zone)
    co_return zone_->second;
  auto body = co_await call("GET", "/hostedzonesbyname?dnsname=" + url_escape(zone), {},
                            "list the hosted zones named " + zone, deadline);
  if (!body)
    co_return body.error();
  auto zones = parse_hosted_zones(*body);
  if (!zones)
    co_return zones.error();
  const auto id = public_zone_id(*zones, zone);
  if (!id)
    co_return Error(Errc::missing_field,
                    "Route53 has no public hosted zone " + zone +
                        " that these credentials can see; set hostedZoneID or check the zone");
  zone_ = {zone, *id};
  co_return *id;
}

boost::asio::awaitable<Status> Route53Provider::change(
    const dns::TxtRecord& record, bool adding, std::chrono::steady_clock::time_point deadline) {
  auto zone = co_await zone_id(record.zone, deadline);
  if (!zone)
    co_return zone.error();
  const std::string sets = "/hostedzone/" + url_escape(*zone) + "/rrset";
  for (int attempt = 1; attempt <= kAttempts; ++attempt) {
    auto listed =
        co_await call("GET", sets + "?name=" + url_escape(record.fqdn) + "&type=TXT&maxitems=1", {},
                      "list the TXT records of " + record.fqdn, deadline);
    if (!listed)
      co_return listed.error();
    auto current = parse_txt_record_set(*listed, record.fqdn);
    if (!current)
      co_return current.error();
    if (holds(*current, record.value) == adding)
      co_return Status{};
    if (attempt == kAttempts)
      break;
    const std::optional<TxtChange> wanted =
        adding ? change_adding(record.fqdn, *current, record.value, kTtl)
               : change_removing(record.fqdn, *current, record.value);
    auto body = change_request_body(*wanted);
    if (!body)
      co_return body.error();
    auto changed = co_await call("POST", sets, std::move(*body),
                                 "change the TXT records of " + record.fqdn, deadline);
    // A DELETE that no longer matches the set (another writer changed it) is
    // tried again from a fresh read.
    if (!changed && changed.error().message().find("InvalidChangeBatch") != std::string::npos &&
        attempt < kAttempts)
      continue;
    if (!changed)
      co_return changed.error();
    auto info = parse_change_info(*changed);
    if (!info)
      co_return info.error();
    while (info->status != ChangeStatus::insync) {
      boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, kStatusPoll);
      co_await timer.async_wait(boost::asio::use_awaitable);
      auto status = co_await call("GET", "/change/" + url_escape(info->id), {},
                                  "tell the status of change " + info->id, deadline);
      if (!status)
        co_return status.error();
      info = parse_change_info(*status);
      if (!info)
        co_return info.error();
    }
  }
  co_return Error(Errc::invalid_value, "Route53: the TXT set of " + record.fqdn +
                                           " kept changing under certmill's writes; another "
                                           "writer is racing it");
}

boost::asio::awaitable<Status> Route53Provider::add(
    const dns::TxtRecord& record, std::chrono::steady_clock::time_point deadline) {
  co_return co_await change(record, true, deadline);
}

boost::asio::awaitable<Status> Route53Provider::remove(
    const dns::TxtRecord& record, std::chrono::steady_clock::time_point deadline) {
  co_return co_await change(record, false, deadline);
}

boost::asio::awaitable<Result<std::unique_ptr<dns::DnsProvider>>> make_route53_provider(
    const api::ACMEChallengeSolverDNS01& dns01, const dns::ProviderContext& context) {
  const api::ACMEIssuerDNS01ProviderRoute53& settings = *dns01.route53;
  auto identity = co_await base_identity(settings, context);
  if (!identity)
    co_return identity.error();
  const std::string region = signing_region(settings);
  // One override serves both: a private endpoint or the emulator has STS's
  // POST / beside Route53's /2013-04-01/.
  auto route53 =
      dns::ProviderApi::create(context.executor, "Route53", context.api_url("route53", kPublicApi));
  auto sts = dns::ProviderApi::create(
      context.executor, "STS",
      context.api_url("route53", "https://sts." + region + ".amazonaws.com"));
  if (!route53)
    co_return route53.error();
  if (!sts)
    co_return sts.error();
  co_return std::make_unique<Route53Provider>(std::move(*route53), std::move(*sts), settings,
                                              std::move(*identity));
}

}  // namespace certmill::solvers::route53
