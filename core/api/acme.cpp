// JSON schemas of Order and Challenge, and their codecs.
#include "core/api/acme.hpp"

#include "core/api/schema/solver.hpp"

namespace certmill::json {

using namespace api;

template <>
struct EnumNames<AcmeState> {
  static constexpr std::array values = {
      std::pair{std::string_view("valid"), AcmeState::Valid},
      std::pair{std::string_view("ready"), AcmeState::Ready},
      std::pair{std::string_view("pending"), AcmeState::Pending},
      std::pair{std::string_view("processing"), AcmeState::Processing},
      std::pair{std::string_view("invalid"), AcmeState::Invalid},
      std::pair{std::string_view("expired"), AcmeState::Expired},
      std::pair{std::string_view("errored"), AcmeState::Errored},
  };
};

template <>
struct EnumNames<AcmeChallengeType> {
  static constexpr std::array values = {
      std::pair{std::string_view("HTTP-01"), AcmeChallengeType::HTTP01},
      std::pair{std::string_view("DNS-01"), AcmeChallengeType::DNS01},
  };
};

template <>
struct Schema<OrderSpec> {
  static constexpr auto fields = std::tuple{
      required("request", &OrderSpec::request),       required("issuerRef", &OrderSpec::issuer_ref),
      field("commonName", &OrderSpec::common_name),   field("dnsNames", &OrderSpec::dns_names),
      field("ipAddresses", &OrderSpec::ip_addresses), field("duration", &OrderSpec::duration),
      field("profile", &OrderSpec::profile),          field("replaces", &OrderSpec::replaces),
  };
};

template <>
struct Schema<ACMEChallenge> {
  static constexpr auto fields = std::tuple{
      required("url", &ACMEChallenge::url),
      required("token", &ACMEChallenge::token),
      required("type", &ACMEChallenge::type),
  };
};

template <>
struct Schema<ACMEAuthorization> {
  static constexpr auto fields = std::tuple{
      required("url", &ACMEAuthorization::url),
      field("identifier", &ACMEAuthorization::identifier),
      field("wildcard", &ACMEAuthorization::wildcard),
      field("initialState", &ACMEAuthorization::initial_state),
      field("challenges", &ACMEAuthorization::challenges),
  };
};

template <>
struct Schema<OrderStatus> {
  static constexpr auto fields = std::tuple{
      field("url", &OrderStatus::url),
      field("finalizeURL", &OrderStatus::finalize_url),
      field("authorizations", &OrderStatus::authorizations),
      field("certificate", &OrderStatus::certificate),
      field("state", &OrderStatus::state),
      field("reason", &OrderStatus::reason),
      field("failureTime", &OrderStatus::failure_time),
  };
};

template <>
struct Schema<Order> {
  static constexpr std::string_view api_version = "acme.cert-manager.io/v1";
  static constexpr std::string_view kind = "Order";
  static constexpr auto fields = std::tuple{
      required("metadata", &Order::metadata),
      required("spec", &Order::spec),
      field("status", &Order::status),
  };
};

template <>
struct Schema<ChallengeSpec> {
  static constexpr auto fields = std::tuple{
      required("url", &ChallengeSpec::url),
      required("authorizationURL", &ChallengeSpec::authorization_url),
      required("dnsName", &ChallengeSpec::dns_name),
      field("wildcard", &ChallengeSpec::wildcard),
      required("type", &ChallengeSpec::type),
      required("token", &ChallengeSpec::token),
      required("key", &ChallengeSpec::key),
      required("solver", &ChallengeSpec::solver),
      required("issuerRef", &ChallengeSpec::issuer_ref),
  };
};

template <>
struct Schema<ChallengeStatus> {
  static constexpr auto fields = std::tuple{
      written("processing", &ChallengeStatus::processing),
      written("presented", &ChallengeStatus::presented),
      field("reason", &ChallengeStatus::reason),
      field("state", &ChallengeStatus::state),
  };
};

template <>
struct Schema<Challenge> {
  static constexpr std::string_view api_version = "acme.cert-manager.io/v1";
  static constexpr std::string_view kind = "Challenge";
  static constexpr auto fields = std::tuple{
      required("metadata", &Challenge::metadata),
      required("spec", &Challenge::spec),
      field("status", &Challenge::status),
  };
};

}  // namespace certmill::json

namespace certmill::api {

std::string_view challenge_type_name(AcmeChallengeType type) noexcept {
  return type == AcmeChallengeType::DNS01 ? "DNS-01" : "HTTP-01";
}

std::string_view rfc8555_challenge_type(AcmeChallengeType type) noexcept {
  return type == AcmeChallengeType::DNS01 ? "dns-01" : "http-01";
}

std::optional<AcmeChallengeType> challenge_type_of_rfc8555(std::string_view name) noexcept {
  if (name == "http-01")
    return AcmeChallengeType::HTTP01;
  if (name == "dns-01")
    return AcmeChallengeType::DNS01;
  return std::nullopt;
}

std::string_view acme_state_name(AcmeState state) {
  switch (state) {
    case AcmeState::Valid:
      return "valid";
    case AcmeState::Ready:
      return "ready";
    case AcmeState::Pending:
      return "pending";
    case AcmeState::Processing:
      return "processing";
    case AcmeState::Invalid:
      return "invalid";
    case AcmeState::Expired:
      return "expired";
    case AcmeState::Errored:
      break;
  }
  return "errored";
}

}  // namespace certmill::api

CERTMILL_RESOURCE_CODEC(certmill::api::Order);
CERTMILL_RESOURCE_CODEC(certmill::api::Challenge);
