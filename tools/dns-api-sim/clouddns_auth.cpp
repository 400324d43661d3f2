// The token endpoint's checks, in the order Google makes them: the grant
// type, the JWT's shape, its issuer, its signature, its audience and
// lifetime; then a token remembered for the Cloud DNS paths.
#include "tools/dns-api-sim/clouddns_auth.hpp"

#include <chrono>
#include <cstdio>
#include <set>

#include <boost/json.hpp>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "core/acme/base64url.hpp"
#include "core/pki/ossl.hpp"

namespace certmill::dnssim {
namespace {

namespace json = boost::json;

constexpr std::string_view kJwtBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer";
constexpr std::int64_t kTokenLifetime = 3599;
// Google's limit on an assertion's exp - iat.
constexpr std::int64_t kAssertionLifetime = 3600;

std::set<std::string>& issued() {
  static std::set<std::string> tokens;
  return tokens;
}

reactor::ServerResponse oauth_error(std::string_view error, std::string_view description) {
  return json_answer(
      400, json::serialize(json::object{{"error", error}, {"error_description", description}}));
}

reactor::ServerResponse new_token() {
  const std::string token = "ya29.sim-" + std::to_string(issued().size() + 1);
  issued().insert(token);
  return json_answer(
      200, json::serialize(json::object{
               {"access_token", token}, {"expires_in", kTokenLifetime}, {"token_type", "Bearer"}}));
}

// A base64url JSON object of a JWT; null when it is not one.
json::object decoded_object(std::string_view part) {
  auto text = acme::base64url_decode(part);
  json::error_code ec;
  json::value value = text ? json::parse(*text, ec) : json::value();
  return !ec && value.is_object() ? value.as_object() : json::object();
}

// The public key PEM at `path`, for the issuer `email`.
pki::PkeyPtr public_key(const Sim& sim, std::string_view email) {
  for (const std::string& credential : sim.credentials) {
    const auto eq = credential.find('=');
    if (eq == std::string::npos || credential.substr(0, eq) != email)
      continue;
    std::FILE* file = std::fopen(credential.substr(eq + 1).c_str(), "r");
    if (!file)
      return nullptr;
    pki::PkeyPtr key(PEM_read_PUBKEY(file, nullptr, nullptr, nullptr));
    std::fclose(file);
    return key;
  }
  return nullptr;
}

bool signature_holds(EVP_PKEY* key, std::string_view input, std::string_view signature) {
  pki::MdCtxPtr ctx(EVP_MD_CTX_new());
  return ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
         EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(), reinterpret_cast<const unsigned char*>(input.data()),
                          input.size()) == 1;
}

std::int64_t claim_number(const json::object& claims, std::string_view name) {
  const json::value* value = claims.if_contains(name);
  return value && value->is_int64() ? value->as_int64() : 0;
}

std::string claim_string(const json::object& claims, std::string_view name) {
  const json::value* value = claims.if_contains(name);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

}  // namespace

reactor::ServerResponse google_token(const reactor::ServerRequest& request, const Sim& sim) {
  const Target form = split_target("/?" + request.body);
  const auto grant = form.query.find("grant_type");
  if (grant == form.query.end() || grant->second != kJwtBearer)
    return oauth_error("unsupported_grant_type", "Invalid grant_type: ");
  const auto assertion = form.query.find("assertion");
  const std::string jwt = assertion == form.query.end() ? std::string() : assertion->second;
  const auto first = jwt.find('.');
  const auto second = first == std::string::npos ? first : jwt.find('.', first + 1);
  if (second == std::string::npos)
    return oauth_error("invalid_request", "Invalid JWT: the assertion is not a signed JWT.");
  const json::object header = decoded_object(std::string_view(jwt).substr(0, first));
  const json::object claims =
      decoded_object(std::string_view(jwt).substr(first + 1, second - first - 1));
  if (claim_string(header, "alg") != "RS256")
    return oauth_error("invalid_grant", "Invalid JWT Signature.");
  const pki::PkeyPtr key = public_key(sim, claim_string(claims, "iss"));
  if (!key)
    return oauth_error("invalid_grant", "Invalid grant: account not found");
  const auto signature = acme::base64url_decode(std::string_view(jwt).substr(second + 1));
  if (!signature ||
      !signature_holds(key.get(), std::string_view(jwt).substr(0, second), *signature))
    return oauth_error("invalid_grant", "Invalid JWT Signature.");
  if (!claim_string(claims, "aud").ends_with(std::string(request.header("Host")) + "/token"))
    return oauth_error("invalid_grant", "Invalid JWT: Failed audience check.");
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  const std::int64_t iat = claim_number(claims, "iat");
  const std::int64_t exp = claim_number(claims, "exp");
  if (exp <= now || iat > now + 60 || exp - iat > kAssertionLifetime)
    return oauth_error("invalid_grant",
                       "Invalid JWT: Token must be a short-lived token (60 minutes) and in a "
                       "reasonable timeframe. Check your iat and exp values in the JWT claim.");
  if (claim_string(claims, "scope").empty())
    return oauth_error("invalid_scope", "Invalid OAuth scope or ID token audience provided.");
  return new_token();
}

reactor::ServerResponse metadata_token(const reactor::ServerRequest& request) {
  if (request.header("Metadata-Flavor") != "Google")
    return {.status = 403,
            .headers = {{"Content-Type", "text/html"}},
            .body = "Missing required header: Metadata-Flavor"};
  return new_token();
}

std::optional<reactor::ServerResponse> check_bearer(const reactor::ServerRequest& request) {
  const std::string_view authorization = request.header("Authorization");
  if (authorization.starts_with("Bearer ") &&
      issued().contains(std::string(authorization.substr(7))))
    return std::nullopt;
  return google_error(401, "authError", "UNAUTHENTICATED",
                      "Request had invalid authentication credentials. Expected OAuth 2 access "
                      "token, login cookie or other valid authentication credential.");
}

reactor::ServerResponse google_error(unsigned status, std::string_view reason,
                                     std::string_view google_status, std::string_view message) {
  return json_answer(
      status, json::serialize(json::object{
                  {"error", json::object{{"code", status},
                                         {"message", message},
                                         {"errors", json::array{json::object{{"message", message},
                                                                             {"domain", "global"},
                                                                             {"reason", reason}}}},
                                         {"status", google_status}}}}));
}

}  // namespace certmill::dnssim
