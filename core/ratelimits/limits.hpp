// A CA's issuance limits, as Let's Encrypt documents its own: new orders per
// account, certificates per registered domain, certificates per exact set of
// names, failed authorizations per identifier. Known for Let's Encrypt's
// production and staging directories; for any other CA they come from the
// Issuer's certmill.io/rate-limits annotation, or are learned from its 429s.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "core/ratelimits/bucket.hpp"

namespace certmill::ratelimits {

enum class Limit {
  NewOrdersPerAccount,
  CertificatesPerDomain,
  CertificatesPerExactSet,
  FailedAuthorizationsPerIdentifier,
};
inline constexpr std::array kLimits{Limit::NewOrdersPerAccount, Limit::CertificatesPerDomain,
                                    Limit::CertificatesPerExactSet,
                                    Limit::FailedAuthorizationsPerIdentifier};

// "new-orders-per-account", "certificates-per-domain",
// "certificates-per-exact-set", "failed-authorizations-per-identifier": the
// annotation's keys, acme-front's flags and the metrics' label.
std::string_view limit_name(Limit limit);
std::optional<Limit> limit_named(std::string_view name);

struct CaLimits {
  LimitSpec new_orders_per_account = {};
  LimitSpec certificates_per_domain = {};
  LimitSpec certificates_per_exact_set = {};
  LimitSpec failed_authorizations_per_identifier = {};

  bool operator==(const CaLimits&) const = default;
  const LimitSpec& operator[](Limit limit) const;
  LimitSpec& operator[](Limit limit);
};

inline constexpr std::string_view kLetsEncryptProduction =
    "https://acme-v02.api.letsencrypt.org/directory";
inline constexpr std::string_view kLetsEncryptStaging =
    "https://acme-staging-v02.api.letsencrypt.org/directory";

// https://letsencrypt.org/docs/rate-limits/: 300 new orders per account per
// 3 h, 50 certificates per registered domain per 7 days, 5 per exact set per
// 7 days, 5 failed authorizations per identifier per hour.
CaLimits lets_encrypt_production();
// The staging environment has the same limits with larger values.
CaLimits lets_encrypt_staging();
// Let's Encrypt's limits for its directory URLs; nothing for other CAs.
std::optional<CaLimits> known_limits(std::string_view directory_url);

// The certmill.io/rate-limits annotation: comma-separated NAME=COUNT/PERIOD
// over `base` ("new-orders-per-account=60/3h, certificates-per-domain=0"; 0
// turns one off). An error names the part that is wrong and how to write it.
inline constexpr std::string_view kRateLimitsAnnotation = "certmill.io/rate-limits";
Result<CaLimits> parse_rate_limits(std::string_view text, CaLimits base = {});
std::string format_rate_limits(const CaLimits& limits);

}  // namespace certmill::ratelimits
