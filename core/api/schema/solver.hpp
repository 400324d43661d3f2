// JSON schemas of cert-manager's ACME challenge solver (internal to core/): an
// Issuer lists solvers and every Challenge carries the one chosen for it.
#pragma once

#include "core/api/issuer.hpp"
#include "core/api/schema/gateway.hpp"
#include "core/api/schema/meta.hpp"

namespace certmill::json {

template <>
struct Schema<api::CertificateDNSNameSelector> {
  using T = api::CertificateDNSNameSelector;
  static constexpr auto fields = std::tuple{
      field("matchLabels", &T::match_labels),
      field("dnsNames", &T::dns_names),
      field("dnsZones", &T::dns_zones),
  };
};

template <>
struct Schema<api::ACMEChallengeSolverHTTP01Ingress> {
  using T = api::ACMEChallengeSolverHTTP01Ingress;
  static constexpr auto fields = std::tuple{
      field("class", &T::class_),
      field("ingressClassName", &T::ingress_class_name),
      field("name", &T::name),
      field("serviceType", &T::service_type),
      field("podTemplate", &T::pod_template),
      field("ingressTemplate", &T::ingress_template),
  };
};

template <>
struct Schema<api::ACMEChallengeSolverHTTP01GatewayHTTPRoute> {
  using T = api::ACMEChallengeSolverHTTP01GatewayHTTPRoute;
  static constexpr auto fields = std::tuple{
      field("serviceType", &T::service_type),
      field("labels", &T::labels),
      field("parentRefs", &T::parent_refs),
      field("podTemplate", &T::pod_template),
  };
};

template <>
struct Schema<api::ACMEChallengeSolverHTTP01> {
  using T = api::ACMEChallengeSolverHTTP01;
  static constexpr auto fields = std::tuple{
      field("ingress", &T::ingress),
      field("gatewayHTTPRoute", &T::gateway_http_route),
  };
};

template <>
struct EnumNames<api::CNAMEStrategy> {
  static constexpr std::array values = {
      std::pair{std::string_view("None"), api::CNAMEStrategy::None},
      std::pair{std::string_view("Follow"), api::CNAMEStrategy::Follow},
  };
};

template <>
struct Schema<api::ACMEIssuerDNS01ProviderRFC2136> {
  using T = api::ACMEIssuerDNS01ProviderRFC2136;
  static constexpr auto fields = std::tuple{
      required("nameserver", &T::nameserver),
      field("tsigKeyName", &T::tsig_key_name),
      field("tsigAlgorithm", &T::tsig_algorithm),
      field("tsigSecretSecretRef", &T::tsig_secret_secret_ref),
      field("protocol", &T::protocol),
  };
};

template <>
struct Schema<api::ServiceAccountRef> {
  static constexpr auto fields = std::tuple{
      required("name", &api::ServiceAccountRef::name),
      field("audiences", &api::ServiceAccountRef::audiences),
  };
};

template <>
struct Schema<api::Route53KubernetesAuth> {
  static constexpr auto fields = std::tuple{
      required("serviceAccountRef", &api::Route53KubernetesAuth::service_account_ref),
  };
};

template <>
struct Schema<api::Route53Auth> {
  static constexpr auto fields = std::tuple{
      required("kubernetes", &api::Route53Auth::kubernetes),
  };
};

template <>
struct Schema<api::ACMEIssuerDNS01ProviderRoute53> {
  using T = api::ACMEIssuerDNS01ProviderRoute53;
  static constexpr auto fields = std::tuple{
      field("region", &T::region),
      field("hostedZoneID", &T::hosted_zone_id),
      field("accessKeyID", &T::access_key_id),
      field("accessKeyIDSecretRef", &T::access_key_id_secret_ref),
      field("secretAccessKeySecretRef", &T::secret_access_key_secret_ref),
      field("role", &T::role),
      field("auth", &T::auth),
  };
};

template <>
struct Schema<api::ACMEIssuerDNS01ProviderCloudflare> {
  using T = api::ACMEIssuerDNS01ProviderCloudflare;
  static constexpr auto fields = std::tuple{
      field("email", &T::email),
      field("apiKeySecretRef", &T::api_key_secret_ref),
      field("apiTokenSecretRef", &T::api_token_secret_ref),
  };
};

template <>
struct Schema<api::ACMEIssuerDNS01ProviderCloudDNS> {
  using T = api::ACMEIssuerDNS01ProviderCloudDNS;
  static constexpr auto fields = std::tuple{
      field("project", &T::project),
      field("hostedZoneName", &T::hosted_zone_name),
      field("serviceAccountSecretRef", &T::service_account_secret_ref),
  };
};

template <>
struct Schema<api::AzureManagedIdentity> {
  using T = api::AzureManagedIdentity;
  static constexpr auto fields = std::tuple{
      field("clientID", &T::client_id),
      field("resourceID", &T::resource_id),
      field("tenantID", &T::tenant_id),
  };
};

template <>
struct Schema<api::ACMEIssuerDNS01ProviderAzureDNS> {
  using T = api::ACMEIssuerDNS01ProviderAzureDNS;
  static constexpr auto fields = std::tuple{
      field("clientID", &T::client_id),
      field("clientSecretSecretRef", &T::client_secret_secret_ref),
      required("subscriptionID", &T::subscription_id),
      field("tenantID", &T::tenant_id),
      required("resourceGroupName", &T::resource_group_name),
      field("hostedZoneName", &T::hosted_zone_name),
      field("environment", &T::environment),
      field("managedIdentity", &T::managed_identity),
  };
};

template <>
struct Schema<api::ACMEIssuerDNS01ProviderAcmeDNS> {
  using T = api::ACMEIssuerDNS01ProviderAcmeDNS;
  static constexpr auto fields = std::tuple{
      required("host", &T::host),
      required("accountSecretRef", &T::account_secret_ref),
  };
};

template <>
struct Schema<api::ACMEIssuerDNS01ProviderDigitalOcean> {
  using T = api::ACMEIssuerDNS01ProviderDigitalOcean;
  static constexpr auto fields = std::tuple{required("tokenSecretRef", &T::token_secret_ref)};
};

template <>
struct Schema<api::ACMEIssuerDNS01ProviderWebhook> {
  using T = api::ACMEIssuerDNS01ProviderWebhook;
  static constexpr auto fields = std::tuple{
      required("groupName", &T::group_name),
      required("solverName", &T::solver_name),
      field("config", &T::config),
  };
};

template <>
struct Schema<api::ACMEChallengeSolverDNS01> {
  using T = api::ACMEChallengeSolverDNS01;
  static constexpr auto fields = std::tuple{
      field("cnameStrategy", &T::cname_strategy),
      field("rfc2136", &T::rfc2136),
      field("route53", &T::route53),
      field("cloudflare", &T::cloudflare),
      field("cloudDNS", &T::cloud_dns),
      field("azureDNS", &T::azure_dns),
      field("acmeDNS", &T::acme_dns),
      field("digitalocean", &T::digitalocean),
      field("akamai", &T::akamai),
      field("webhook", &T::webhook),
  };
};

template <>
struct Schema<api::ACMEChallengeSolver> {
  using T = api::ACMEChallengeSolver;
  static constexpr auto fields = std::tuple{
      field("selector", &T::selector),
      field("http01", &T::http01),
      field("dns01", &T::dns01),
  };
};

}  // namespace certmill::json
