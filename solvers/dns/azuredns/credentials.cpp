// Choosing the grant, and asking Entra or IMDS for a token with it.
#include "solvers/dns/azuredns/credentials.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/http_url.hpp"
#include "solvers/dns/azuredns/answer.hpp"

namespace certmill::solvers::azuredns {
namespace {

// A token is asked for again this long before it expires (at most half its life).
constexpr std::chrono::minutes kRenewEarly{5};

std::string environment_variable(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

std::string upper(std::string text) {
  std::ranges::transform(text, text.begin(),
                         [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

std::string form_field(std::string_view name, std::string_view value) {
  return std::string(name) + "=" + url_escape(value);
}

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in || text.str().empty())
    return Error(Errc::invalid_argument, "azureDNS: cannot read the federated token file " + path +
                                             " (AZURE_FEDERATED_TOKEN_FILE)");
  std::string token = text.str();
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back())))
    token.pop_back();
  return token;
}

Result<Grant> ambient_grant(const api::ACMEIssuerDNS01ProviderAzureDNS& settings) {
  const api::AzureManagedIdentity identity =
      settings.managed_identity.value_or(api::AzureManagedIdentity{});
  Grant grant;
  grant.token_file = environment_variable("AZURE_FEDERATED_TOKEN_FILE");
  if (!grant.token_file.empty()) {
    grant.kind = Grant::Kind::workload_identity;
    grant.client_id =
        identity.client_id.empty() ? environment_variable("AZURE_CLIENT_ID") : identity.client_id;
    grant.tenant_id =
        identity.tenant_id.empty() ? environment_variable("AZURE_TENANT_ID") : identity.tenant_id;
    if (grant.client_id.empty() || grant.tenant_id.empty())
      return Error(Errc::missing_field,
                   "azureDNS: workload identity (AZURE_FEDERATED_TOKEN_FILE is set) needs "
                   "AZURE_CLIENT_ID and AZURE_TENANT_ID in certmill's environment, or "
                   "managedIdentity.clientID and managedIdentity.tenantID");
    return grant;
  }
  if (!identity.client_id.empty() && !identity.resource_id.empty())
    return Error(Errc::invalid_value,
                 "azureDNS: managedIdentity.clientID and managedIdentity.resourceID are both "
                 "set; keep the one that names the identity");
  grant.kind = Grant::Kind::managed_identity;
  if (!identity.client_id.empty())
    grant.identity = "&" + form_field("client_id", identity.client_id);
  if (!identity.resource_id.empty())
    grant.identity = "&" + form_field("msi_res_id", identity.resource_id);
  return grant;
}

}  // namespace

Result<Cloud> cloud(const std::string& environment) {
  const std::string name = upper(environment);
  if (name.empty() || name == "AZUREPUBLICCLOUD" || name == "AZURECLOUD")
    return Cloud{"https://management.azure.com", "https://login.microsoftonline.com"};
  if (name == "AZURECHINACLOUD")
    return Cloud{"https://management.chinacloudapi.cn", "https://login.chinacloudapi.cn"};
  if (name == "AZUREUSGOVERNMENTCLOUD" || name == "AZUREUSGOVERNMENT")
    return Cloud{"https://management.usgovcloudapi.net", "https://login.microsoftonline.us"};
  return Error(Errc::invalid_value, "azureDNS.environment: unknown cloud \"" + environment +
                                        "\"; use AzurePublicCloud (the default), "
                                        "AzureChinaCloud or AzureUSGovernmentCloud");
}

boost::asio::awaitable<Result<Grant>> make_grant(
    const api::ACMEIssuerDNS01ProviderAzureDNS& settings, const dns::ProviderContext& context) {
  if (settings.client_secret_secret_ref || !settings.client_id.empty()) {
    if (!settings.client_secret_secret_ref)
      co_return Error(Errc::missing_field,
                      "azureDNS: clientID is set without clientSecretSecretRef; set it and "
                      "tenantID, or for a managed identity set managedIdentity.clientID instead");
    if (settings.client_id.empty() || settings.tenant_id.empty())
      co_return Error(Errc::missing_field,
                      "azureDNS: clientSecretSecretRef needs clientID (the application's ID) and "
                      "tenantID (its directory's)");
    if (settings.managed_identity)
      co_return Error(Errc::invalid_value,
                      "azureDNS: managedIdentity cannot be used with clientID and "
                      "clientSecretSecretRef; keep one");
    auto secret = co_await dns::read_secret_field(context, *settings.client_secret_secret_ref,
                                                  "azureDNS.clientSecretSecretRef");
    if (!secret)
      co_return secret.error();
    co_return Grant{.kind = Grant::Kind::client_secret,
                    .tenant_id = settings.tenant_id,
                    .client_id = settings.client_id,
                    .client_secret = std::move(*secret),
                    .token_file = {},
                    .identity = {}};
  }
  if (!context.ambient_credentials)
    co_return Error(Errc::missing_field,
                    "azureDNS: no clientID and clientSecretSecretRef are set, and ambient "
                    "credentials, which a managed or workload identity needs, are off for this "
                    "issuer (--issuer-ambient-credentials, --cluster-issuer-ambient-credentials); "
                    "set clientID, tenantID and clientSecretSecretRef");
  co_return ambient_grant(settings);
}

boost::asio::awaitable<Result<reactor::HttpsResponse>> AccessTokens::ask(
    std::chrono::steady_clock::time_point deadline) {
  if (grant_.kind == Grant::Kind::managed_identity) {
    reactor::HttpsRequest request{.method = "GET",
                                  .url = "/metadata/identity/oauth2/token?api-version=2018-02-01&" +
                                         form_field("resource", resource_ + "/") + grant_.identity,
                                  .headers = {{"Metadata", "true"}, {"Accept", "application/json"}},
                                  .body = {}};
    co_return co_await api_.call(std::move(request), deadline);
  }
  std::string form = form_field("client_id", grant_.client_id) + "&" +
                     form_field("grant_type", "client_credentials") + "&" +
                     form_field("scope", resource_ + "/.default");
  if (grant_.kind == Grant::Kind::client_secret) {
    form += "&" + form_field("client_secret", grant_.client_secret);
  } else {
    auto assertion = read_file(grant_.token_file);
    if (!assertion)
      co_return assertion.error();
    form += "&" +
            form_field("client_assertion_type",
                       "urn:ietf:params:oauth:client-assertion-type:jwt-bearer") +
            "&" + form_field("client_assertion", *assertion);
  }
  reactor::HttpsRequest request{.method = "POST",
                                .url = "/" + url_escape(grant_.tenant_id) + "/oauth2/v2.0/token",
                                .headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                                            {"Accept", "application/json"}},
                                .body = std::move(form)};
  co_return co_await api_.call(std::move(request), deadline);
}

boost::asio::awaitable<Result<std::string>> AccessTokens::token(
    std::chrono::steady_clock::time_point deadline) {
  const auto now = std::chrono::steady_clock::now();
  if (kept_ && now < kept_->renew_at)
    co_return kept_->value;
  const std::string who = grant_.kind == Grant::Kind::managed_identity
                              ? std::string("azureDNS: IMDS refused a managed identity token")
                              : "azureDNS: Microsoft Entra refused a token to client " +
                                    grant_.client_id + " in tenant " + grant_.tenant_id;
  auto answer = co_await ask(deadline);
  if (!answer)
    co_return answer.error();
  if (!dns::succeeded(*answer))
    co_return Error(Errc::invalid_value, who + ": " + failure(answer->status, answer->body));
  auto token = parse_token(answer->body);
  if (!token)
    co_return Error(token.error().code(), who + ": " + token.error().message());
  const auto early = std::min<std::chrono::seconds>(kRenewEarly, token->expires_in / 2);
  kept_ = Kept{.value = token->value, .renew_at = now + token->expires_in - early};
  co_return std::move(token->value);
}

}  // namespace certmill::solvers::azuredns
