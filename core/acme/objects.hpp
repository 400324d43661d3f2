// The resources an ACME CA answers with (RFC 8555 §7.1): directory, account,
// order, authorization and challenge, decoded into compact structs. A decoder
// fails, naming the member, where the answer breaks what RFC 8555 requires of
// it, so a bad CA becomes a clear condition instead of a confused client.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/acme/problem.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace certmill::acme {

struct DirectoryMeta {
  std::string terms_of_service;
  std::string website;
  std::vector<std::string> caa_identities;
  bool external_account_required = false;
  // draft-ietf-acme-profiles: profile name -> a description (often a URL).
  std::map<std::string, std::string> profiles;
};

struct Directory {
  std::string new_nonce;  // these three are required
  std::string new_account;
  std::string new_order;
  std::string new_authz;  // optional resources: empty when the CA has none
  std::string revoke_cert;
  std::string key_change;
  std::string renewal_info;  // RFC 9773 ARI
  DirectoryMeta meta;
};

enum class AccountStatus { Valid, Deactivated, Revoked };

struct Account {
  AccountStatus status = AccountStatus::Valid;
  std::vector<std::string> contact;
  bool terms_of_service_agreed = false;
  std::string orders;  // RFC 8555 requires it, Let's Encrypt omits it: optional
};

enum class OrderStatus { Pending, Ready, Processing, Valid, Invalid };

struct Order {
  OrderStatus status = OrderStatus::Pending;
  std::optional<Time> expires;
  std::vector<Identifier> identifiers;
  std::vector<std::string> authorizations;  // URLs
  std::string finalize;
  std::string certificate;  // set once status is valid
  std::optional<Time> not_before;
  std::optional<Time> not_after;
  std::optional<Problem> error;
  std::string profile;   // draft-ietf-acme-profiles
  std::string replaces;  // RFC 9773 §5: the CertID this order renews
};

enum class ChallengeStatus { Pending, Processing, Valid, Invalid };

struct Challenge {
  std::string type;  // "http-01", "dns-01", "tls-alpn-01", ...
  std::string url;
  ChallengeStatus status = ChallengeStatus::Pending;
  std::string token;  // base64url, checked: it becomes a URL path and a DNS value
  std::optional<Time> validated;
  std::optional<Problem> error;
};

enum class AuthorizationStatus { Pending, Valid, Invalid, Deactivated, Expired, Revoked };

struct Authorization {
  Identifier identifier;
  AuthorizationStatus status = AuthorizationStatus::Pending;
  std::optional<Time> expires;
  std::vector<Challenge> challenges;
  bool wildcard = false;  // the identifier's value then lacks the "*." (§7.1.4)
};

Result<Directory> decode_directory(std::string_view json);
Result<Account> decode_account(std::string_view json);
Result<Order> decode_order(std::string_view json);
Result<Authorization> decode_authorization(std::string_view json);
Result<Challenge> decode_challenge(std::string_view json);

std::string_view order_status_name(OrderStatus status) noexcept;
std::string_view authorization_status_name(AuthorizationStatus status) noexcept;
std::string_view challenge_status_name(ChallengeStatus status) noexcept;

}  // namespace certmill::acme
