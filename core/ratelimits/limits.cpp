// The limits' names, Let's Encrypt's values and the annotation's syntax.
#include "core/ratelimits/limits.hpp"

#include <chrono>

namespace certmill::ratelimits {
namespace {

constexpr std::array<std::string_view, 4> kNames{
    "new-orders-per-account", "certificates-per-domain", "certificates-per-exact-set",
    "failed-authorizations-per-identifier"};

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  return text;
}

std::string known_names() {
  std::string names;
  for (std::string_view name : kNames)
    names += (names.empty() ? "" : ", ") + std::string(name);
  return names;
}

}  // namespace

std::string_view limit_name(Limit limit) {
  return kNames.at(static_cast<std::size_t>(limit));
}

std::optional<Limit> limit_named(std::string_view name) {
  for (Limit limit : kLimits) {
    if (limit_name(limit) == name)
      return limit;
  }
  return std::nullopt;
}

const LimitSpec& CaLimits::operator[](Limit limit) const {
  switch (limit) {
    case Limit::NewOrdersPerAccount:
      return new_orders_per_account;
    case Limit::CertificatesPerDomain:
      return certificates_per_domain;
    case Limit::CertificatesPerExactSet:
      return certificates_per_exact_set;
    case Limit::FailedAuthorizationsPerIdentifier:
      break;
  }
  return failed_authorizations_per_identifier;
}

LimitSpec& CaLimits::operator[](Limit limit) {
  return const_cast<LimitSpec&>(static_cast<const CaLimits&>(*this)[limit]);
}

CaLimits lets_encrypt_production() {
  using std::chrono::hours;
  return {{300, hours(3)}, {50, hours(24 * 7)}, {5, hours(24 * 7)}, {5, hours(1)}};
}

CaLimits lets_encrypt_staging() {
  using std::chrono::hours;
  return {{1500, hours(3)}, {30000, hours(24 * 7)}, {30000, hours(24 * 7)}, {200, hours(1)}};
}

std::optional<CaLimits> known_limits(std::string_view directory_url) {
  while (directory_url.ends_with('/'))
    directory_url.remove_suffix(1);
  if (directory_url == kLetsEncryptProduction)
    return lets_encrypt_production();
  if (directory_url == kLetsEncryptStaging)
    return lets_encrypt_staging();
  return std::nullopt;
}

Result<CaLimits> parse_rate_limits(std::string_view text, CaLimits base) {
  const std::string whole(text);
  while (!text.empty()) {
    const auto comma = text.find(',');
    const std::string_view part = trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    if (part.empty())
      continue;
    const auto equals = part.find('=');
    const auto limit = limit_named(trim(part.substr(0, equals)));
    if (equals == std::string_view::npos || !limit) {
      return Error(Errc::invalid_argument, std::string(kRateLimitsAnnotation) + " \"" + whole +
                                               "\": \"" + std::string(part) +
                                               "\" is not NAME=COUNT/PERIOD with NAME one of " +
                                               known_names());
    }
    auto spec = parse_limit_spec(trim(part.substr(equals + 1)));
    if (!spec) {
      return Error(Errc::invalid_argument, std::string(kRateLimitsAnnotation) + " \"" + whole +
                                               "\": " + spec.error().message());
    }
    base[*limit] = *spec;
  }
  return base;
}

std::string format_rate_limits(const CaLimits& limits) {
  std::string text;
  for (Limit limit : kLimits) {
    text += (text.empty() ? "" : ",") + std::string(limit_name(limit)) + "=" +
            format_limit_spec(limits[limit]);
  }
  return text;
}

}  // namespace certmill::ratelimits
