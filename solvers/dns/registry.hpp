// The DNS-01 providers certmill has, found by the field that configures each
// in an Issuer's dns01 block ("rfc2136", "cloudflare", ...). The table is
// written out in registry.cpp: a new provider is a folder of its own and one
// line there. A dns01 block that names none, or one certmill lacks, is an
// error found before an order is placed.
#pragma once

#include <memory>
#include <span>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "core/api/issuer.hpp"
#include "core/result.hpp"
#include "solvers/dns/provider.hpp"
#include "solvers/dns/provider_context.hpp"

namespace certmill::solvers::dns {

using ProviderMaker = boost::asio::awaitable<Result<std::unique_ptr<DnsProvider>>> (*)(
    const api::ACMEChallengeSolverDNS01&, const ProviderContext&);

struct ProviderEntry {
  std::string_view field;  // as in the API: "route53", "cloudDNS", ...
  bool (*configured)(const api::ACMEChallengeSolverDNS01&);
  ProviderMaker make;  // null: certmill knows the field but has no provider for it
};

std::span<const ProviderEntry> providers();

// The provider the block configures; an error when it names none or one
// certmill has no provider for. Pure.
Result<const ProviderEntry*> configured_provider(const api::ACMEChallengeSolverDNS01& dns01);

// Made with its Secrets read: a bad setting fails here, before any record.
boost::asio::awaitable<Result<std::unique_ptr<DnsProvider>>> make_provider(
    const api::ACMEChallengeSolverDNS01& dns01, const ProviderContext& context);

}  // namespace certmill::solvers::dns
