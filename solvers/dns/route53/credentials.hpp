// The AWS credentials a route53 block gives certmill, resolved as
// cert-manager resolves them: with auth.kubernetes, a token of the named
// ServiceAccount (TokenRequest) exchanged by STS for `role`'s keys; else keys
// from the Issuer's Secrets (the key id may also be written inline); else,
// only with ambient credentials allowed, the environment's
// AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, or its web
// identity (AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE, as EKS sets them);
// then, with `role` (and no auth.kubernetes), STS AssumeRole on top.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "core/api/issuer.hpp"
#include "solvers/dns/provider_api.hpp"
#include "solvers/dns/provider_context.hpp"
#include "solvers/dns/route53/api.hpp"
#include "solvers/dns/route53/sigv4.hpp"

namespace certmill::solvers::route53 {

// A token that STS exchanges for a role's keys.
struct WebIdentity {
  std::string role_arn;
  std::function<boost::asio::awaitable<Result<std::string>>()> token;
};

// What the block starts from, before any role: keys, or a web identity.
struct Identity {
  std::optional<Credentials> keys;
  std::optional<WebIdentity> web;
};

boost::asio::awaitable<Result<Identity>> base_identity(
    const api::ACMEIssuerDNS01ProviderRoute53& settings, const dns::ProviderContext& context);

// The region requests are signed for: the block's, else the environment's
// AWS_REGION, else us-east-1, where Route53 itself lives.
std::string signing_region(const api::ACMEIssuerDNS01ProviderRoute53& settings);

// AssumeRole of `role_arn` with `base`, through STS at `sts` (its base URL).
boost::asio::awaitable<Result<TemporaryCredentials>> assume_role(
    dns::ProviderApi& sts, const Credentials& base, const std::string& role_arn,
    const std::string& region, std::chrono::steady_clock::time_point deadline);

// AssumeRoleWithWebIdentity, which STS takes unsigned: the token is the proof.
boost::asio::awaitable<Result<TemporaryCredentials>> assume_role_with_web_identity(
    dns::ProviderApi& sts, const std::string& role_arn, const std::string& token,
    std::chrono::steady_clock::time_point deadline);

// Signs `request` (its url a path under `api`'s base, possibly with a query)
// for `service`: adds Host, X-Amz-Date, the token and Authorization.
Status sign(reactor::HttpsRequest& request, const dns::ProviderApi& api,
            const Credentials& credentials, const std::string& region, std::string_view service);

}  // namespace certmill::solvers::route53
