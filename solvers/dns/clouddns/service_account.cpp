// Reading the key file and the token answer with simdjson; the assertion is
// signed by the JWS code the ACME client uses.
#include "solvers/dns/clouddns/service_account.hpp"

#include <simdjson.h>

#include "core/acme/base64url.hpp"
#include "core/acme/jws.hpp"
#include "core/http_url.hpp"
#include "core/json/writer.hpp"
#include "core/pki/keys.hpp"
#include "solvers/dns/answer_text.hpp"
#include "solvers/dns/clouddns/answer.hpp"

namespace certmill::solvers::clouddns {
namespace {

// Google refuses an assertion that lives longer than an hour.
constexpr std::chrono::seconds kAssertionLifetime{3600};

}  // namespace

Result<ServiceAccountKey> parse_service_account_key(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(json.data(), json.size()).get(object) != simdjson::SUCCESS)
    return Error(Errc::invalid_json, "the service account key is not a JSON object");
  const std::string type = dns::json_member(object, "type");
  if (type != "service_account")
    return Error(Errc::invalid_value,
                 "the key's type is \"" + dns::excerpt(type) +
                     "\", not \"service_account\"; use a service account's JSON key");
  ServiceAccountKey key{.project_id = dns::json_member(object, "project_id"),
                        .private_key_id = dns::json_member(object, "private_key_id"),
                        .private_key = dns::json_member(object, "private_key"),
                        .client_email = dns::json_member(object, "client_email"),
                        .token_uri = dns::json_member(object, "token_uri")};
  if (key.client_email.empty() || key.private_key.empty())
    return Error(Errc::missing_field, "the service account key lacks client_email or private_key");
  if (key.token_uri.empty())
    key.token_uri = kGoogleTokenUri;
  return key;
}

Result<std::string> jwt_assertion(const ServiceAccountKey& key, std::string_view scope,
                                  std::chrono::system_clock::time_point now) {
  auto private_key = pki::parse_private_key(key.private_key, "the service account's private_key");
  if (!private_key)
    return private_key.error();
  if (private_key->algorithm() != api::PrivateKeyAlgorithm::RSA)
    return Error(Errc::invalid_value, "the service account's private_key is not an RSA key");
  json::JsonWriter header;
  header.begin_object();
  header.key("alg");
  header.string("RS256");
  header.key("typ");
  header.string("JWT");
  if (!key.private_key_id.empty()) {
    header.key("kid");
    header.string(key.private_key_id);
  }
  header.end_object();
  const auto iat = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch());
  json::JsonWriter claims;
  claims.begin_object();
  claims.key("iss");
  claims.string(key.client_email);
  claims.key("scope");
  claims.string(scope);
  claims.key("aud");
  claims.string(key.token_uri);
  claims.key("iat");
  claims.number(iat.count());
  claims.key("exp");
  claims.number((iat + kAssertionLifetime).count());
  claims.end_object();
  const std::string input =
      acme::base64url_encode(header.str()) + "." + acme::base64url_encode(claims.str());
  auto signature = acme::jws_signature(private_key->get(), acme::JwsAlgorithm::RS256, input);
  if (!signature)
    return signature.error();
  return input + "." + acme::base64url_encode(*signature);
}

std::string token_request_body(std::string_view assertion) {
  return "grant_type=" + url_escape("urn:ietf:params:oauth:grant-type:jwt-bearer") +
         "&assertion=" + url_escape(assertion);
}

Result<AccessToken> parse_access_token(std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(body.data(), body.size()).get(object) != simdjson::SUCCESS)
    return Error(Errc::invalid_json, "the token answer is not a JSON object");
  AccessToken out{.token = dns::json_member(object, "access_token"), .expires_in = {}};
  int64_t seconds = 0;
  if (out.token.empty() || object["expires_in"].get(seconds) != simdjson::SUCCESS || seconds <= 0)
    return Error(Errc::missing_field, "the token answer lacks access_token or expires_in");
  out.expires_in = std::chrono::seconds(seconds);
  return out;
}

std::string token_failure(unsigned status, std::string_view body) {
  std::string why = "HTTP " + std::to_string(status);
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(body.data(), body.size()).get(object) != simdjson::SUCCESS ||
      dns::json_member(object, "error").empty())
    return body.empty() ? why : why + ": " + dns::excerpt(body);
  why += ": " + dns::excerpt(dns::json_member(object, "error"));
  if (const std::string description = dns::json_member(object, "error_description");
      !description.empty())
    why += ": " + dns::excerpt(description);
  return why;
}

}  // namespace certmill::solvers::clouddns
