// Adding and removing a TXT value by UPDATE, and the provider an rfc2136
// block configures.
#include "solvers/dns/rfc2136/provider.hpp"

#include "solvers/dns/rfc2136/update.hpp"

namespace certmill::solvers::rfc2136 {

boost::asio::awaitable<Status> Rfc2136Provider::add(
    const dns::TxtRecord& record, std::chrono::steady_clock::time_point deadline) {
  co_return co_await rfc2136_update(executor_, settings_, record.zone, record.fqdn, record.value,
                                    Change::add, deadline);
}

boost::asio::awaitable<Status> Rfc2136Provider::remove(
    const dns::TxtRecord& record, std::chrono::steady_clock::time_point deadline) {
  co_return co_await rfc2136_update(executor_, settings_, record.zone, record.fqdn, record.value,
                                    Change::remove, deadline);
}

boost::asio::awaitable<Result<std::unique_ptr<dns::DnsProvider>>> make_rfc2136_provider(
    const api::ACMEChallengeSolverDNS01& dns01, const dns::ProviderContext& context) {
  const api::ACMEIssuerDNS01ProviderRFC2136& rfc2136 = *dns01.rfc2136;
  Settings settings{
      rfc2136.nameserver, rfc2136.tsig_key_name, rfc2136.tsig_algorithm, {}, rfc2136.protocol};
  if (rfc2136.tsig_secret_secret_ref && !rfc2136.tsig_secret_secret_ref->name.empty()) {
    auto secret = co_await context.read_secret(*rfc2136.tsig_secret_secret_ref);
    if (!secret)
      co_return secret.error().prefixed("rfc2136.tsigSecretSecretRef: ");
    settings.tsig_secret = std::move(*secret);
  }
  if (auto server = parse_settings(settings); !server)
    co_return server.error();
  co_return std::make_unique<Rfc2136Provider>(context.executor, std::move(settings));
}

}  // namespace certmill::solvers::rfc2136
