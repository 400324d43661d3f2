// JSON schemas of Issuer and ClusterIssuer (the solvers' are in
// schema/solver.hpp), and their codecs.
#include "core/api/issuer.hpp"

#include "core/api/schema/solver.hpp"

namespace certmill::json {

using namespace api;

template <>
struct Schema<ACMEExternalAccountBinding> {
  static constexpr auto fields = std::tuple{
      required("keyID", &ACMEExternalAccountBinding::key_id),
      required("keySecretRef", &ACMEExternalAccountBinding::key_secret_ref),
      field("keyAlgorithm", &ACMEExternalAccountBinding::key_algorithm),
  };
};

template <>
struct Schema<ACMEIssuer> {
  static constexpr auto fields = std::tuple{
      required("server", &ACMEIssuer::server),
      field("email", &ACMEIssuer::email),
      required("privateKeySecretRef", &ACMEIssuer::private_key_secret_ref),
      field("preferredChain", &ACMEIssuer::preferred_chain),
      field("caBundle", &ACMEIssuer::ca_bundle),
      field("skipTLSVerify", &ACMEIssuer::skip_tls_verify),
      field("externalAccountBinding", &ACMEIssuer::external_account_binding),
      field("disableAccountKeyGeneration", &ACMEIssuer::disable_account_key_generation),
      field("enableDurationFeature", &ACMEIssuer::enable_duration_feature),
      field("profile", &ACMEIssuer::profile),
      field("solvers", &ACMEIssuer::solvers),
  };
};

template <>
struct Schema<CAIssuer> {
  static constexpr auto fields = std::tuple{
      required("secretName", &CAIssuer::secret_name),
      field("crlDistributionPoints", &CAIssuer::crl_distribution_points),
      field("ocspServers", &CAIssuer::ocsp_servers),
      field("issuingCertificateURLs", &CAIssuer::issuing_certificate_urls),
  };
};

template <>
struct Schema<SelfSignedIssuer> {
  static constexpr auto fields = std::tuple{
      field("crlDistributionPoints", &SelfSignedIssuer::crl_distribution_points),
  };
};

template <>
struct Schema<VaultAppRole> {
  static constexpr auto fields = std::tuple{
      required("path", &VaultAppRole::path),
      required("roleId", &VaultAppRole::role_id),
      required("secretRef", &VaultAppRole::secret_ref),
  };
};

template <>
struct Schema<VaultKubernetesAuth> {
  static constexpr auto fields = std::tuple{
      required("role", &VaultKubernetesAuth::role),
      field("mountPath", &VaultKubernetesAuth::mount_path),
      field("secretRef", &VaultKubernetesAuth::secret_ref),
      field("serviceAccountRef", &VaultKubernetesAuth::service_account_ref),
  };
};

template <>
struct Schema<VaultAuth> {
  static constexpr auto fields = std::tuple{
      field("tokenSecretRef", &VaultAuth::token_secret_ref),
      field("appRole", &VaultAuth::app_role),
      field("kubernetes", &VaultAuth::kubernetes),
  };
};

template <>
struct Schema<VaultIssuer> {
  static constexpr auto fields = std::tuple{
      required("server", &VaultIssuer::server),
      required("path", &VaultIssuer::path),
      field("namespace", &VaultIssuer::namespace_),
      field("caBundle", &VaultIssuer::ca_bundle),
      field("caBundleSecretRef", &VaultIssuer::ca_bundle_secret_ref),
      required("auth", &VaultIssuer::auth),
  };
};

template <>
struct Schema<IssuerSpec> {
  static constexpr auto fields = std::tuple{
      field("acme", &IssuerSpec::acme),
      field("ca", &IssuerSpec::ca),
      field("selfSigned", &IssuerSpec::self_signed),
      field("vault", &IssuerSpec::vault),
      field("venafi", &IssuerSpec::venafi),
  };
};

template <>
struct Schema<ACMEIssuerStatus> {
  static constexpr auto fields = std::tuple{
      field("uri", &ACMEIssuerStatus::uri),
      field("lastRegisteredEmail", &ACMEIssuerStatus::last_registered_email),
      field("lastPrivateKeyHash", &ACMEIssuerStatus::last_private_key_hash),
  };
};

template <>
struct Schema<IssuerStatus> {
  static constexpr auto fields = std::tuple{
      field("conditions", &IssuerStatus::conditions),
      field("acme", &IssuerStatus::acme),
  };
};

template <>
struct Schema<Issuer> {
  static constexpr std::string_view api_version = "cert-manager.io/v1";
  static constexpr std::string_view kind = "Issuer";
  static constexpr auto fields = std::tuple{
      required("metadata", &Issuer::metadata),
      required("spec", &Issuer::spec),
      field("status", &Issuer::status),
  };
};

template <>
struct Schema<ClusterIssuer> {
  static constexpr std::string_view api_version = "cert-manager.io/v1";
  static constexpr std::string_view kind = "ClusterIssuer";
  static constexpr auto fields = std::tuple{
      required("metadata", &ClusterIssuer::metadata),
      required("spec", &ClusterIssuer::spec),
      field("status", &ClusterIssuer::status),
  };
};

}  // namespace certmill::json

CERTMILL_RESOURCE_CODEC(certmill::api::Issuer);
CERTMILL_RESOURCE_CODEC(certmill::api::ClusterIssuer);
