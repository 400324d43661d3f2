// Fetching and keeping the access token.
#include "solvers/dns/clouddns/access_token.hpp"

#include <algorithm>
#include <cstdlib>

namespace certmill::solvers::clouddns {
namespace {

// A token is replaced this long before Google says it expires, so that a
// call never starts with one that lapses on the way.
constexpr std::chrono::minutes kRefreshMargin{5};
constexpr std::string_view kMetadataTokenPath =
    "/computeMetadata/v1/instance/service-accounts/default/token";

}  // namespace

std::string metadata_server_url() {
  const char* host = std::getenv("GCE_METADATA_HOST");
  return std::string("http://") + (host && *host ? host : "metadata.google.internal");
}

boost::asio::awaitable<Result<reactor::HttpsResponse>> AccessTokens::request(
    std::chrono::steady_clock::time_point deadline) {
  if (!key_) {
    co_return co_await api_.call({.method = "GET",
                                  .url = std::string(kMetadataTokenPath),
                                  .headers = {{"Metadata-Flavor", "Google"}},
                                  .body = {}},
                                 deadline);
  }
  auto assertion = jwt_assertion(*key_, kScope, std::chrono::system_clock::now());
  if (!assertion)
    co_return Error(assertion.error().code(),
                    "cloudDNS.serviceAccountSecretRef: " + assertion.error().message());
  co_return co_await api_.call({.method = "POST",
                                .url = {},
                                .headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                                            {"Accept", "application/json"}},
                                .body = token_request_body(*assertion)},
                               deadline);
}

boost::asio::awaitable<Result<std::string>> AccessTokens::get(
    std::chrono::steady_clock::time_point deadline) {
  if (!token_.empty() && std::chrono::steady_clock::now() < refresh_at_)
    co_return token_;
  const auto asked = std::chrono::steady_clock::now();
  auto answer = co_await request(deadline);
  if (!answer)
    co_return answer.error();
  const std::string source =
      key_ ? "the token endpoint " + api_.base_url() + " for " + key_->client_email
           : "the GCE metadata server " + api_.base_url();
  if (!dns::succeeded(*answer))
    co_return Error(Errc::invalid_value, "cloudDNS: " + source + " refused a token: " +
                                             token_failure(answer->status, answer->body));
  auto token = parse_access_token(answer->body);
  if (!token)
    co_return Error(token.error().code(), "cloudDNS: " + source + ": " + token.error().message());
  token_ = std::move(token->token);
  // A token that lives less than the margin is used once and then replaced.
  refresh_at_ = asked + std::max<std::chrono::seconds>(token->expires_in - kRefreshMargin,
                                                       std::chrono::seconds(0));
  co_return token_;
}

}  // namespace certmill::solvers::clouddns
