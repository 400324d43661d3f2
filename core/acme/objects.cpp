// Schemas of the ACME resources for core/json's codec, and the checks the codec
// cannot express (non-empty URLs, token alphabet, a valid order's certificate).
#include "core/acme/objects.hpp"

#include "core/acme/base64url.hpp"
#include "core/acme/problem_json.hpp"

namespace certmill::json {

using namespace acme;

template <>
struct EnumNames<AccountStatus> {
  static constexpr std::array values = {
      std::pair{std::string_view("valid"), AccountStatus::Valid},
      std::pair{std::string_view("deactivated"), AccountStatus::Deactivated},
      std::pair{std::string_view("revoked"), AccountStatus::Revoked},
  };
};

template <>
struct EnumNames<OrderStatus> {
  static constexpr std::array values = {
      std::pair{std::string_view("pending"), OrderStatus::Pending},
      std::pair{std::string_view("ready"), OrderStatus::Ready},
      std::pair{std::string_view("processing"), OrderStatus::Processing},
      std::pair{std::string_view("valid"), OrderStatus::Valid},
      std::pair{std::string_view("invalid"), OrderStatus::Invalid},
  };
};

template <>
struct EnumNames<AuthorizationStatus> {
  static constexpr std::array values = {
      std::pair{std::string_view("pending"), AuthorizationStatus::Pending},
      std::pair{std::string_view("valid"), AuthorizationStatus::Valid},
      std::pair{std::string_view("invalid"), AuthorizationStatus::Invalid},
      std::pair{std::string_view("deactivated"), AuthorizationStatus::Deactivated},
      std::pair{std::string_view("expired"), AuthorizationStatus::Expired},
      std::pair{std::string_view("revoked"), AuthorizationStatus::Revoked},
  };
};

template <>
struct EnumNames<ChallengeStatus> {
  static constexpr std::array values = {
      std::pair{std::string_view("pending"), ChallengeStatus::Pending},
      std::pair{std::string_view("processing"), ChallengeStatus::Processing},
      std::pair{std::string_view("valid"), ChallengeStatus::Valid},
      std::pair{std::string_view("invalid"), ChallengeStatus::Invalid},
  };
};

template <>
struct Schema<DirectoryMeta> {
  static constexpr auto fields = std::tuple{
      field("termsOfService", &DirectoryMeta::terms_of_service),
      field("website", &DirectoryMeta::website),
      field("caaIdentities", &DirectoryMeta::caa_identities),
      field("externalAccountRequired", &DirectoryMeta::external_account_required),
      field("profiles", &DirectoryMeta::profiles),
  };
};

template <>
struct Schema<Directory> {
  static constexpr auto fields = std::tuple{
      required("newNonce", &Directory::new_nonce),
      required("newAccount", &Directory::new_account),
      required("newOrder", &Directory::new_order),
      field("newAuthz", &Directory::new_authz),
      field("revokeCert", &Directory::revoke_cert),
      field("keyChange", &Directory::key_change),
      field("renewalInfo", &Directory::renewal_info),
      field("meta", &Directory::meta),
  };
};

template <>
struct Schema<Account> {
  static constexpr auto fields = std::tuple{
      required("status", &Account::status),
      field("contact", &Account::contact),
      field("termsOfServiceAgreed", &Account::terms_of_service_agreed),
      field("orders", &Account::orders),
  };
};

template <>
struct Schema<Identifier> {
  static constexpr auto fields = std::tuple{
      required("type", &Identifier::type),
      required("value", &Identifier::value),
  };
};

template <>
struct Schema<Order> {
  static constexpr auto fields = std::tuple{
      required("status", &Order::status),
      field("expires", &Order::expires),
      required("identifiers", &Order::identifiers),
      required("authorizations", &Order::authorizations),
      required("finalize", &Order::finalize),
      field("certificate", &Order::certificate),
      field("notBefore", &Order::not_before),
      field("notAfter", &Order::not_after),
      field("error", &Order::error),
      field("profile", &Order::profile),
      field("replaces", &Order::replaces),
  };
};

template <>
struct Schema<Challenge> {
  static constexpr auto fields = std::tuple{
      required("type", &Challenge::type),        required("url", &Challenge::url),
      required("status", &Challenge::status),    field("token", &Challenge::token),
      field("validated", &Challenge::validated), field("error", &Challenge::error),
  };
};

template <>
struct Schema<Authorization> {
  static constexpr auto fields = std::tuple{
      required("identifier", &Authorization::identifier),
      required("status", &Authorization::status),
      field("expires", &Authorization::expires),
      required("challenges", &Authorization::challenges),
      field("wildcard", &Authorization::wildcard),
  };
};

}  // namespace certmill::json

namespace certmill::acme {
namespace {

Error invalid(std::string_view what, std::string message) {
  return Error(Errc::invalid_value, std::string(what) + ": " + std::move(message));
}

template <class T>
Result<T> decode_as(std::string_view json, std::string_view what) {
  auto decoded = json::decode_document<T>(json);
  if (!decoded)
    return Error(decoded.error().code(), std::string(what) + ": " + decoded.error().message());
  return decoded;
}

Status require_url(std::string_view what, std::string_view name, const std::string& url) {
  if (url.empty())
    return invalid(what, std::string(name) + ": must be a URL, found an empty string");
  return {};
}

// RFC 8555 §8.3/§8.4: tokens are base64url without padding. certmill puts them
// in a URL path and a DNS name, so anything else ("../", "/", "%") is refused
// here rather than trusted downstream.
Status check_challenge(std::string_view what, const std::string& prefix, const Challenge& c) {
  if (Status s = require_url(what, prefix + "url", c.url); !s)
    return s;
  const bool needs_token = c.type == "http-01" || c.type == "dns-01" || c.type == "tls-alpn-01";
  if (c.token.empty()) {
    if (needs_token)
      return invalid(what, prefix + "token: required for a " + c.type + " challenge");
    return {};
  }
  if (!is_base64url(c.token)) {
    return invalid(what, prefix + "token: has characters outside the base64url alphabet");
  }
  return {};
}

template <class E>
std::string_view enum_name(E value) noexcept {
  for (const auto& [name, v] : json::EnumNames<E>::values) {
    if (v == value)
      return name;
  }
  return "unknown";
}

}  // namespace

Result<Directory> decode_directory(std::string_view json) {
  constexpr std::string_view what = "ACME directory";
  auto d = decode_as<Directory>(json, what);
  if (!d)
    return d;
  for (const auto& [name, url] :
       {std::pair{"newNonce", &d->new_nonce}, std::pair{"newAccount", &d->new_account},
        std::pair{"newOrder", &d->new_order}}) {
    if (Status s = require_url(what, name, *url); !s)
      return s.error();
  }
  return d;
}

Result<Account> decode_account(std::string_view json) {
  return decode_as<Account>(json, "ACME account");
}

Result<Order> decode_order(std::string_view json) {
  constexpr std::string_view what = "ACME order";
  auto o = decode_as<Order>(json, what);
  if (!o)
    return o;
  if (Status s = require_url(what, "finalize", o->finalize); !s)
    return s.error();
  if (o->status == OrderStatus::Valid && o->certificate.empty())
    return invalid(what, "certificate: required when the order is valid");
  for (std::size_t i = 0; i < o->authorizations.size(); ++i) {
    const std::string name = "authorizations[" + std::to_string(i) + "]";
    if (Status s = require_url(what, name, o->authorizations[i]); !s)
      return s.error();
  }
  return o;
}

Result<Authorization> decode_authorization(std::string_view json) {
  constexpr std::string_view what = "ACME authorization";
  auto a = decode_as<Authorization>(json, what);
  if (!a)
    return a;
  for (std::size_t i = 0; i < a->challenges.size(); ++i) {
    const std::string prefix = "challenges[" + std::to_string(i) + "].";
    if (Status s = check_challenge(what, prefix, a->challenges[i]); !s)
      return s.error();
  }
  return a;
}

Result<Challenge> decode_challenge(std::string_view json) {
  constexpr std::string_view what = "ACME challenge";
  auto c = decode_as<Challenge>(json, what);
  if (!c)
    return c;
  if (Status s = check_challenge(what, "", *c); !s)
    return s.error();
  return c;
}

std::string_view order_status_name(OrderStatus status) noexcept {
  return enum_name(status);
}
std::string_view authorization_status_name(AuthorizationStatus status) noexcept {
  return enum_name(status);
}
std::string_view challenge_status_name(ChallengeStatus status) noexcept {
  return enum_name(status);
}

}  // namespace certmill::acme
