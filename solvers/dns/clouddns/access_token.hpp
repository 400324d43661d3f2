// The OAuth access token Cloud DNS calls carry, from one of the two sources
// cert-manager uses: a service account key traded at its token_uri for a
// token (the JWT bearer grant), or, with ambient credentials allowed, the GCE
// metadata server's token for the instance's service account. The token is
// kept until shortly before it expires.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "solvers/dns/clouddns/service_account.hpp"
#include "solvers/dns/provider_api.hpp"

namespace certmill::solvers::clouddns {

// The metadata server as Google's libraries find it: GCE_METADATA_HOST
// (host[:port]) from the environment, else metadata.google.internal.
std::string metadata_server_url();

class AccessTokens {
 public:
  // From a key; `token_api` is its token_uri.
  AccessTokens(ServiceAccountKey key, dns::ProviderApi token_api)
      : key_(std::move(key)), api_(std::move(token_api)) {}
  // From the metadata server at `metadata_api`.
  explicit AccessTokens(dns::ProviderApi metadata_api) : api_(std::move(metadata_api)) {}

  // The current token, fetched when there is none or it is about to expire.
  boost::asio::awaitable<Result<std::string>> get(std::chrono::steady_clock::time_point deadline);
  // Cloud DNS refused the token (401): the next get fetches another.
  void forget() { token_.clear(); }

 private:
  boost::asio::awaitable<Result<reactor::HttpsResponse>> request(
      std::chrono::steady_clock::time_point deadline);

  std::optional<ServiceAccountKey> key_;
  dns::ProviderApi api_;
  std::string token_;  // secret: never logged
  std::chrono::steady_clock::time_point refresh_at_ = {};
};

}  // namespace certmill::solvers::clouddns
