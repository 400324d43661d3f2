// cert-manager.io/v1 Issuer and ClusterIssuer: who signs (ACME, CA,
// SelfSigned, Vault) and, for ACME, how each domain is proven (solvers).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/api/gateway.hpp"
#include "core/api/meta.hpp"

namespace certmill::api {

// Which names a solver is for. An empty selector matches every name; when
// several match, the most specific wins (dnsNames, then the longest dnsZone,
// then the most matchLabels).
struct CertificateDNSNameSelector {
  StringMap match_labels;
  std::vector<std::string> dns_names;
  std::vector<std::string> dns_zones;
  bool operator==(const CertificateDNSNameSelector&) const = default;
};

struct ACMEChallengeSolverHTTP01Ingress {
  std::string class_;
  std::string ingress_class_name;
  std::string name;  // edit this existing Ingress instead of creating one
  std::string service_type;
  RawJson pod_template;
  RawJson ingress_template;
  bool operator==(const ACMEChallengeSolverHTTP01Ingress&) const = default;
};

struct ACMEChallengeSolverHTTP01GatewayHTTPRoute {
  std::string service_type;
  StringMap labels;
  std::vector<ParentReference> parent_refs;
  RawJson pod_template;
  bool operator==(const ACMEChallengeSolverHTTP01GatewayHTTPRoute&) const = default;
};

struct ACMEChallengeSolverHTTP01 {
  std::optional<ACMEChallengeSolverHTTP01Ingress> ingress;
  std::optional<ACMEChallengeSolverHTTP01GatewayHTTPRoute> gateway_http_route;
  bool operator==(const ACMEChallengeSolverHTTP01&) const = default;
};

// Whether a CNAME at _acme-challenge.<name> is followed to place the record.
enum class CNAMEStrategy { None, Follow };

struct ACMEIssuerDNS01ProviderRFC2136 {
  std::string nameserver;  // host:port of the primary that takes updates
  std::string tsig_key_name;
  std::string tsig_algorithm;
  std::optional<SecretKeySelector> tsig_secret_secret_ref;
  std::string protocol;  // "TCP" or "UDP" (the default)
  bool operator==(const ACMEIssuerDNS01ProviderRFC2136&) const = default;
};

struct ServiceAccountRef {
  std::string name;
  std::vector<std::string> audiences;
  bool operator==(const ServiceAccountRef&) const = default;
};

// A ServiceAccount token, requested through the TokenRequest API, is the
// web identity that assumes the Route53 block's `role`.
struct Route53KubernetesAuth {
  ServiceAccountRef service_account_ref;
  bool operator==(const Route53KubernetesAuth&) const = default;
};

struct Route53Auth {
  Route53KubernetesAuth kubernetes;
  bool operator==(const Route53Auth&) const = default;
};

struct ACMEIssuerDNS01ProviderRoute53 {
  std::string region;
  std::string hosted_zone_id;
  std::string access_key_id;
  std::optional<SecretKeySelector> access_key_id_secret_ref;
  std::optional<SecretKeySelector> secret_access_key_secret_ref;
  std::string role;
  std::optional<Route53Auth> auth;
  bool operator==(const ACMEIssuerDNS01ProviderRoute53&) const = default;
};

struct ACMEIssuerDNS01ProviderCloudflare {
  std::string email;
  std::optional<SecretKeySelector> api_key_secret_ref;
  std::optional<SecretKeySelector> api_token_secret_ref;
  bool operator==(const ACMEIssuerDNS01ProviderCloudflare&) const = default;
};

struct ACMEIssuerDNS01ProviderCloudDNS {
  std::string project;
  std::string hosted_zone_name;
  std::optional<SecretKeySelector> service_account_secret_ref;
  bool operator==(const ACMEIssuerDNS01ProviderCloudDNS&) const = default;
};

struct AzureManagedIdentity {
  std::string client_id;
  std::string resource_id;
  std::string tenant_id;
  bool operator==(const AzureManagedIdentity&) const = default;
};

struct ACMEIssuerDNS01ProviderAzureDNS {
  std::string client_id;
  std::optional<SecretKeySelector> client_secret_secret_ref;
  std::string subscription_id;
  std::string tenant_id;
  std::string resource_group_name;
  std::string hosted_zone_name;
  std::string environment;  // AzurePublicCloud, AzureChinaCloud, ...
  std::optional<AzureManagedIdentity> managed_identity;
  bool operator==(const ACMEIssuerDNS01ProviderAzureDNS&) const = default;
};

struct ACMEIssuerDNS01ProviderAcmeDNS {
  std::string host;
  SecretKeySelector account_secret_ref;
  bool operator==(const ACMEIssuerDNS01ProviderAcmeDNS&) const = default;
};

struct ACMEIssuerDNS01ProviderDigitalOcean {
  SecretKeySelector token_secret_ref;
  bool operator==(const ACMEIssuerDNS01ProviderDigitalOcean&) const = default;
};

// An out-of-process solver reached through the Kubernetes API aggregation
// layer; `config` is passed to it untouched.
struct ACMEIssuerDNS01ProviderWebhook {
  std::string group_name;
  std::string solver_name;
  RawJson config;
  bool operator==(const ACMEIssuerDNS01ProviderWebhook&) const = default;
};

struct ACMEChallengeSolverDNS01 {
  std::optional<CNAMEStrategy> cname_strategy;
  std::optional<ACMEIssuerDNS01ProviderRFC2136> rfc2136;
  std::optional<ACMEIssuerDNS01ProviderRoute53> route53;
  std::optional<ACMEIssuerDNS01ProviderCloudflare> cloudflare;
  std::optional<ACMEIssuerDNS01ProviderCloudDNS> cloud_dns;
  std::optional<ACMEIssuerDNS01ProviderAzureDNS> azure_dns;
  std::optional<ACMEIssuerDNS01ProviderAcmeDNS> acme_dns;
  std::optional<ACMEIssuerDNS01ProviderDigitalOcean> digitalocean;
  RawJson akamai;  // certmill has no Akamai provider; kept to write it back
  std::optional<ACMEIssuerDNS01ProviderWebhook> webhook;
  bool operator==(const ACMEChallengeSolverDNS01&) const = default;
};

struct ACMEChallengeSolver {
  std::optional<CertificateDNSNameSelector> selector;
  std::optional<ACMEChallengeSolverHTTP01> http01;
  std::optional<ACMEChallengeSolverDNS01> dns01;
  bool operator==(const ACMEChallengeSolver&) const = default;
};

struct ACMEExternalAccountBinding {
  std::string key_id;
  SecretKeySelector key_secret_ref;
  std::string key_algorithm;  // deprecated: the CA decides (HS256)
  bool operator==(const ACMEExternalAccountBinding&) const = default;
};

struct ACMEIssuer {
  std::string server;  // the directory URL
  std::string email;
  SecretKeySelector private_key_secret_ref;  // the ACME account key
  std::string preferred_chain;
  Bytes ca_bundle;
  bool skip_tls_verify = false;
  std::optional<ACMEExternalAccountBinding> external_account_binding;
  bool disable_account_key_generation = false;
  bool enable_duration_feature = false;
  std::string profile;
  std::vector<ACMEChallengeSolver> solvers;
  bool operator==(const ACMEIssuer&) const = default;
};

struct CAIssuer {
  std::string secret_name;  // the CA's key pair, a kubernetes.io/tls Secret
  std::vector<std::string> crl_distribution_points;
  std::vector<std::string> ocsp_servers;
  std::vector<std::string> issuing_certificate_urls;
  bool operator==(const CAIssuer&) const = default;
};

struct SelfSignedIssuer {
  std::vector<std::string> crl_distribution_points;
  bool operator==(const SelfSignedIssuer&) const = default;
};

struct VaultAppRole {
  std::string path;
  std::string role_id;
  SecretKeySelector secret_ref;
  bool operator==(const VaultAppRole&) const = default;
};

struct VaultKubernetesAuth {
  std::string role;
  std::string mount_path;  // "/v1/auth/kubernetes" when empty
  std::optional<SecretKeySelector> secret_ref;
  std::optional<ServiceAccountRef> service_account_ref;
  bool operator==(const VaultKubernetesAuth&) const = default;
};

struct VaultAuth {
  std::optional<SecretKeySelector> token_secret_ref;
  std::optional<VaultAppRole> app_role;
  std::optional<VaultKubernetesAuth> kubernetes;
  bool operator==(const VaultAuth&) const = default;
};

struct VaultIssuer {
  std::string server;
  std::string path;  // a PKI sign endpoint, "pki_int/sign/example-dot-com"
  std::string namespace_;
  Bytes ca_bundle;
  std::optional<SecretKeySelector> ca_bundle_secret_ref;
  VaultAuth auth;
  bool operator==(const VaultIssuer&) const = default;
};

struct IssuerSpec {
  std::optional<ACMEIssuer> acme;
  std::optional<CAIssuer> ca;
  std::optional<SelfSignedIssuer> self_signed;
  std::optional<VaultIssuer> vault;
  RawJson venafi;  // not implemented by certmill; kept to write it back
  bool operator==(const IssuerSpec&) const = default;
};

struct ACMEIssuerStatus {
  std::string uri;  // the account URL
  std::string last_registered_email;
  std::string last_private_key_hash;
  bool operator==(const ACMEIssuerStatus&) const = default;
};

struct IssuerStatus {
  std::vector<Condition> conditions;
  std::optional<ACMEIssuerStatus> acme;
  bool operator==(const IssuerStatus&) const = default;
};

struct Issuer {
  ObjectMeta metadata;
  IssuerSpec spec;
  IssuerStatus status;
  bool operator==(const Issuer&) const = default;
};

// Cluster-scoped; the Secrets it names live in the cluster resource namespace.
struct ClusterIssuer {
  ObjectMeta metadata;
  IssuerSpec spec;
  IssuerStatus status;
  bool operator==(const ClusterIssuer&) const = default;
};

}  // namespace certmill::api
