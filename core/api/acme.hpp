// acme.cert-manager.io/v1 Order and Challenge: one RFC 8555 order per
// CertificateRequest, and one challenge per authorization being solved.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/api/issuer.hpp"
#include "core/api/meta.hpp"

namespace certmill::api {

// The ACME server's state of an order, authorization or challenge, plus
// cert-manager's own "errored" for failures outside the protocol.
enum class AcmeState { Valid, Ready, Pending, Processing, Invalid, Expired, Errored };

// The state as the API spells it ("valid", "errored").
std::string_view acme_state_name(AcmeState state);

enum class AcmeChallengeType { HTTP01, DNS01 };

// The type as a Challenge object and cert-manager's messages name it
// ("HTTP-01"), and as RFC 8555 does on the wire ("http-01"); a wire name
// certmill solves no challenge of (tls-alpn-01) has no type.
std::string_view challenge_type_name(AcmeChallengeType type) noexcept;
std::string_view rfc8555_challenge_type(AcmeChallengeType type) noexcept;
std::optional<AcmeChallengeType> challenge_type_of_rfc8555(std::string_view name) noexcept;

struct OrderSpec {
  Bytes request;  // PEM-encoded CSR
  IssuerRef issuer_ref;
  std::string common_name;
  std::vector<std::string> dns_names;
  std::vector<std::string> ip_addresses;
  std::optional<Duration> duration;
  std::string profile;
  std::string replaces;  // ARI certificate ID of the certificate this renews
  bool operator==(const OrderSpec&) const = default;
};

// One challenge the server offered; `type` is the ACME name ("http-01").
struct ACMEChallenge {
  std::string url;
  std::string token;
  std::string type;
  bool operator==(const ACMEChallenge&) const = default;
};

struct ACMEAuthorization {
  std::string url;
  std::string identifier;
  std::optional<bool> wildcard;
  std::optional<AcmeState> initial_state;
  std::vector<ACMEChallenge> challenges;
  bool operator==(const ACMEAuthorization&) const = default;
};

struct OrderStatus {
  std::string url;
  std::string finalize_url;
  std::vector<ACMEAuthorization> authorizations;
  Bytes certificate;  // PEM chain once the order is valid
  std::optional<AcmeState> state;
  std::string reason;
  std::optional<Time> failure_time;
  bool operator==(const OrderStatus&) const = default;
};

struct Order {
  ObjectMeta metadata;
  OrderSpec spec;
  OrderStatus status;
  bool operator==(const Order&) const = default;
};

struct ChallengeSpec {
  std::string url;
  std::string authorization_url;
  std::string dns_name;
  bool wildcard = false;
  AcmeChallengeType type = AcmeChallengeType::HTTP01;
  std::string token;
  std::string key;  // the key authorization (HTTP-01) or its digest (DNS-01)
  ACMEChallengeSolver solver;
  IssuerRef issuer_ref;
  bool operator==(const ChallengeSpec&) const = default;
};

struct ChallengeStatus {
  bool processing = false;
  bool presented = false;
  std::string reason;
  std::optional<AcmeState> state;
  bool operator==(const ChallengeStatus&) const = default;
};

struct Challenge {
  ObjectMeta metadata;
  ChallengeSpec spec;
  ChallengeStatus status;
  bool operator==(const Challenge&) const = default;
};

}  // namespace certmill::api
