// The DNS provider an Issuer's dns01 solver names, made with the Secrets it
// refers to. RFC 2136 is the one certmill has; naming another is an error
// that says so, found before an order is placed (check_dns01_provider).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "core/api/issuer.hpp"
#include "core/result.hpp"
#include "solvers/dns/provider.hpp"

namespace certmill::controller {

namespace asio = boost::asio;

// One value of a Secret the Issuer refers to, read from the Issuer's
// namespace (a ClusterIssuer's: --cluster-resource-namespace); an error
// names the Secret and key that are missing.
using SecretReader =
    std::function<asio::awaitable<Result<std::string>>(const api::SecretKeySelector&)>;

// Whether certmill can act on the solver's provider; pure.
Status check_dns01_provider(const api::ACMEChallengeSolverDNS01& dns01);

asio::awaitable<Result<std::unique_ptr<solvers::dns::DnsProvider>>> dns_provider_for(
    const api::ACMEChallengeSolverDNS01& dns01, asio::any_io_executor executor,
    const SecretReader& read_secret);

}  // namespace certmill::controller
