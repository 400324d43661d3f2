// The Microsoft Entra access tokens an azureDNS block gives certmill, chosen
// as cert-manager chooses: clientID, tenantID and clientSecretSecretRef make
// a client-credentials grant; without them, and only with ambient
// credentials allowed, workload identity (AZURE_FEDERATED_TOKEN_FILE, with
// AZURE_CLIENT_ID and AZURE_TENANT_ID or managedIdentity's) else the
// instance's managed identity through IMDS. A token is kept until shortly
// before it expires.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "core/api/issuer.hpp"
#include "solvers/dns/provider_api.hpp"
#include "solvers/dns/provider_context.hpp"

namespace certmill::solvers::azuredns {

// Where an Azure cloud's services are.
struct Cloud {
  std::string resource_manager;  // ARM, e.g. https://management.azure.com
  std::string login;             // the Entra authority, e.g. https://login.microsoftonline.com
};

// The block's `environment` (case aside, as cert-manager reads it; empty is
// the public cloud); an error names the values allowed.
Result<Cloud> cloud(const std::string& environment);

struct Grant {
  enum class Kind { client_secret, workload_identity, managed_identity };
  Kind kind = Kind::client_secret;
  std::string tenant_id = {};
  std::string client_id = {};
  std::string client_secret = {};  // secret: never logged
  std::string token_file = {};     // workload identity's, read at each grant: it is rotated
  std::string identity = {};       // IMDS's "&client_id=..." or "&msi_res_id=..."
};

// The grant the block and certmill's environment make; errors say what to set.
boost::asio::awaitable<Result<Grant>> make_grant(
    const api::ACMEIssuerDNS01ProviderAzureDNS& settings, const dns::ProviderContext& context);

class AccessTokens {
 public:
  // `api` is the Entra authority for a grant of a client, IMDS for a managed
  // identity; `resource` the ARM resource the token is for.
  AccessTokens(dns::ProviderApi api, Grant grant, std::string resource)
      : api_(std::move(api)), grant_(std::move(grant)), resource_(std::move(resource)) {}

  // A token still good, asked for when the last is near its end.
  boost::asio::awaitable<Result<std::string>> token(std::chrono::steady_clock::time_point deadline);
  // Drops the kept token, after ARM refused it.
  void forget() { kept_.reset(); }

 private:
  boost::asio::awaitable<Result<reactor::HttpsResponse>> ask(
      std::chrono::steady_clock::time_point deadline);

  dns::ProviderApi api_;
  Grant grant_;
  std::string resource_;
  struct Kept {
    std::string value;  // secret: never logged
    std::chrono::steady_clock::time_point renew_at;
  };
  std::optional<Kept> kept_;
};

}  // namespace certmill::solvers::azuredns
