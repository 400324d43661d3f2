// The acme-dns call of a Challenge: POST /update with the account's
// credentials in X-Api-User and X-Api-Key.
#include "solvers/dns/acmedns/provider.hpp"

#include "core/json/writer.hpp"

namespace certmill::solvers::acmedns {

boost::asio::awaitable<Status> AcmeDnsProvider::add(
    const dns::TxtRecord& record, std::chrono::steady_clock::time_point deadline) {
  const Account* account = account_for(accounts_, record.dns_name, record.fqdn);
  if (!account)
    co_return Error(Errc::missing_field, "acmeDNS: accountSecretRef has no account for " +
                                             record.fqdn +
                                             "; add the one acme-dns registered for its domain");
  json::JsonWriter body;
  body.begin_object();
  body.key("subdomain");
  body.string(account->subdomain);
  body.key("txt");
  body.string(record.value);
  body.end_object();
  reactor::HttpsRequest request{.method = "POST", .url = "/update"};
  request.headers = {{"X-Api-User", account->username},
                     {"X-Api-Key", account->password},
                     {"Accept", "application/json"},
                     {"Content-Type", "application/json"}};
  request.body = body.take();
  auto answer = co_await api_.call(std::move(request), deadline);
  if (!answer)
    co_return answer.error();
  if (!dns::succeeded(*answer))
    co_return Error(Errc::invalid_value, "acme-dns refused to update " + account->fulldomain +
                                             ": " + failure(answer->status, answer->body));
  co_return Status{};
}

boost::asio::awaitable<Status> AcmeDnsProvider::remove(const dns::TxtRecord&,
                                                       std::chrono::steady_clock::time_point) {
  // acme-dns has no delete; the value ages out as the next ones are written.
  co_return Status{};
}

boost::asio::awaitable<Result<std::unique_ptr<dns::DnsProvider>>> make_acmedns_provider(
    const api::ACMEChallengeSolverDNS01& dns01, const dns::ProviderContext& context) {
  const api::ACMEIssuerDNS01ProviderAcmeDNS& settings = *dns01.acme_dns;
  std::string host = settings.host;
  while (host.ends_with('/'))
    host.pop_back();
  if (host.empty())
    co_return Error(Errc::missing_field, "acmeDNS.host is empty; set the acme-dns server's URL");
  auto secret = co_await dns::read_secret_field(context, settings.account_secret_ref,
                                                "acmeDNS.accountSecretRef");
  if (!secret)
    co_return secret.error();
  auto accounts = parse_accounts(*secret);
  if (!accounts)
    co_return Error(accounts.error().code(),
                    "acmeDNS.accountSecretRef: " + accounts.error().message());
  auto api = dns::ProviderApi::create(context.executor, "acme-dns", std::move(host));
  if (!api)
    co_return api.error();
  co_return std::make_unique<AcmeDnsProvider>(std::move(*api), std::move(*accounts));
}

}  // namespace certmill::solvers::acmedns
