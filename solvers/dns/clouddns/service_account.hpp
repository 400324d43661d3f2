// A Google service account's JSON key, as cert-manager's cloudDNS
// serviceAccountSecretRef holds it, and the OAuth 2.0 JWT bearer grant
// (RFC 7523) that trades it for an access token: the signed assertion, the
// form that carries it, and the token endpoint's answer (the GCE metadata
// server answers in the same shape). Pure; errors never quote the key.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace certmill::solvers::clouddns {

// Google's token endpoint, for a key that names none.
inline constexpr const char* kGoogleTokenUri = "https://oauth2.googleapis.com/token";
// The scope cert-manager asks for: read and write Cloud DNS.
inline constexpr const char* kScope = "https://www.googleapis.com/auth/ndev.clouddns.readwrite";

struct ServiceAccountKey {
  std::string project_id = {};
  std::string private_key_id = {};
  std::string private_key = {};  // PEM; secret, never logged
  std::string client_email = {};
  std::string token_uri = {};
};

// The key file's fields; a key of another type ("authorized_user") or one
// without client_email or private_key is an error that says so.
Result<ServiceAccountKey> parse_service_account_key(std::string_view json);

// The assertion: an RS256 JWT with iss = client_email, scope, aud =
// token_uri, iat = `now` and exp an hour later.
Result<std::string> jwt_assertion(const ServiceAccountKey& key, std::string_view scope,
                                  std::chrono::system_clock::time_point now);

// grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=...
std::string token_request_body(std::string_view assertion);

struct AccessToken {
  std::string token = {};  // secret, never logged
  std::chrono::seconds expires_in{0};
};

// {"access_token", "expires_in", "token_type": "Bearer"}.
Result<AccessToken> parse_access_token(std::string_view body);

// Why the token endpoint refused: "HTTP 400: invalid_grant: Invalid JWT
// Signature." (RFC 6749 §5.2's error and error_description).
std::string token_failure(unsigned status, std::string_view body);

}  // namespace certmill::solvers::clouddns
