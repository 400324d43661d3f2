// JSON schemas of Certificate and CertificateRequest, and their codecs.
#include "core/api/certificate.hpp"

#include "core/api/schema/meta.hpp"

namespace certmill::json {

using namespace api;

template <>
struct EnumNames<KeyUsage> {
  static constexpr std::array values = {
      std::pair{std::string_view("signing"), KeyUsage::Signing},
      std::pair{std::string_view("digital signature"), KeyUsage::DigitalSignature},
      std::pair{std::string_view("content commitment"), KeyUsage::ContentCommitment},
      std::pair{std::string_view("key encipherment"), KeyUsage::KeyEncipherment},
      std::pair{std::string_view("key agreement"), KeyUsage::KeyAgreement},
      std::pair{std::string_view("data encipherment"), KeyUsage::DataEncipherment},
      std::pair{std::string_view("cert sign"), KeyUsage::CertSign},
      std::pair{std::string_view("crl sign"), KeyUsage::CRLSign},
      std::pair{std::string_view("encipher only"), KeyUsage::EncipherOnly},
      std::pair{std::string_view("decipher only"), KeyUsage::DecipherOnly},
      std::pair{std::string_view("any"), KeyUsage::Any},
      std::pair{std::string_view("server auth"), KeyUsage::ServerAuth},
      std::pair{std::string_view("client auth"), KeyUsage::ClientAuth},
      std::pair{std::string_view("code signing"), KeyUsage::CodeSigning},
      std::pair{std::string_view("email protection"), KeyUsage::EmailProtection},
      std::pair{std::string_view("s/mime"), KeyUsage::SMIME},
      std::pair{std::string_view("ipsec end system"), KeyUsage::IPsecEndSystem},
      std::pair{std::string_view("ipsec tunnel"), KeyUsage::IPsecTunnel},
      std::pair{std::string_view("ipsec user"), KeyUsage::IPsecUser},
      std::pair{std::string_view("timestamping"), KeyUsage::Timestamping},
      std::pair{std::string_view("ocsp signing"), KeyUsage::OCSPSigning},
      std::pair{std::string_view("microsoft sgc"), KeyUsage::MicrosoftSGC},
      std::pair{std::string_view("netscape sgc"), KeyUsage::NetscapeSGC},
  };
};

template <>
struct EnumNames<PrivateKeyAlgorithm> {
  static constexpr std::array values = {
      std::pair{std::string_view("RSA"), PrivateKeyAlgorithm::RSA},
      std::pair{std::string_view("ECDSA"), PrivateKeyAlgorithm::ECDSA},
      std::pair{std::string_view("Ed25519"), PrivateKeyAlgorithm::Ed25519},
  };
};

template <>
struct EnumNames<PrivateKeyEncoding> {
  static constexpr std::array values = {
      std::pair{std::string_view("PKCS1"), PrivateKeyEncoding::PKCS1},
      std::pair{std::string_view("PKCS8"), PrivateKeyEncoding::PKCS8},
  };
};

template <>
struct EnumNames<RotationPolicy> {
  static constexpr std::array values = {
      std::pair{std::string_view("Never"), RotationPolicy::Never},
      std::pair{std::string_view("Always"), RotationPolicy::Always},
  };
};

template <>
struct EnumNames<OutputFormat> {
  static constexpr std::array values = {
      std::pair{std::string_view("CombinedPEM"), OutputFormat::CombinedPEM},
      std::pair{std::string_view("DER"), OutputFormat::DER},
  };
};

template <>
struct Schema<X509Subject> {
  static constexpr auto fields = std::tuple{
      field("organizations", &X509Subject::organizations),
      field("countries", &X509Subject::countries),
      field("organizationalUnits", &X509Subject::organizational_units),
      field("localities", &X509Subject::localities),
      field("provinces", &X509Subject::provinces),
      field("streetAddresses", &X509Subject::street_addresses),
      field("postalCodes", &X509Subject::postal_codes),
      field("serialNumber", &X509Subject::serial_number),
  };
};

template <>
struct Schema<OtherName> {
  static constexpr auto fields = std::tuple{
      field("oid", &OtherName::oid),
      field("utf8Value", &OtherName::utf8_value),
  };
};

template <>
struct Schema<CertificatePrivateKey> {
  static constexpr auto fields = std::tuple{
      field("rotationPolicy", &CertificatePrivateKey::rotation_policy),
      field("encoding", &CertificatePrivateKey::encoding),
      field("algorithm", &CertificatePrivateKey::algorithm),
      field("size", &CertificatePrivateKey::size),
  };
};

template <>
struct Schema<SecretTemplate> {
  static constexpr auto fields = std::tuple{
      field("annotations", &SecretTemplate::annotations),
      field("labels", &SecretTemplate::labels),
  };
};

template <>
struct Schema<AdditionalOutputFormat> {
  static constexpr auto fields = std::tuple{required("type", &AdditionalOutputFormat::type)};
};

template <>
struct Schema<KeystoreOptions> {
  static constexpr auto fields = std::tuple{
      written("create", &KeystoreOptions::create),
      field("passwordSecretRef", &KeystoreOptions::password_secret_ref),
      field("password", &KeystoreOptions::password),
      field("profile", &KeystoreOptions::profile),
  };
};

template <>
struct Schema<Keystores> {
  static constexpr auto fields = std::tuple{
      field("jks", &Keystores::jks),
      field("pkcs12", &Keystores::pkcs12),
  };
};

template <>
struct Schema<NameConstraintItem> {
  static constexpr auto fields = std::tuple{
      field("dnsDomains", &NameConstraintItem::dns_domains),
      field("ipRanges", &NameConstraintItem::ip_ranges),
      field("emailAddresses", &NameConstraintItem::email_addresses),
      field("uriDomains", &NameConstraintItem::uri_domains),
  };
};

template <>
struct Schema<NameConstraints> {
  static constexpr auto fields = std::tuple{
      field("critical", &NameConstraints::critical),
      field("permitted", &NameConstraints::permitted),
      field("excluded", &NameConstraints::excluded),
  };
};

template <>
struct Schema<RenewalWindowSpec> {
  static constexpr auto fields = std::tuple{
      field("cron", &RenewalWindowSpec::cron),
      field("timezone", &RenewalWindowSpec::timezone),
      field("windowDuration", &RenewalWindowSpec::window_duration),
  };
};

template <>
struct Schema<CertificateRenewal> {
  static constexpr auto fields = std::tuple{
      field("policy", &CertificateRenewal::policy),
      field("windows", &CertificateRenewal::windows),
  };
};

template <>
struct Schema<CertificateSpec> {
  static constexpr auto fields = std::tuple{
      required("secretName", &CertificateSpec::secret_name),
      required("issuerRef", &CertificateSpec::issuer_ref),
      field("commonName", &CertificateSpec::common_name),
      field("dnsNames", &CertificateSpec::dns_names),
      field("ipAddresses", &CertificateSpec::ip_addresses),
      field("uris", &CertificateSpec::uris),
      field("emailAddresses", &CertificateSpec::email_addresses),
      field("otherNames", &CertificateSpec::other_names),
      field("subject", &CertificateSpec::subject),
      field("literalSubject", &CertificateSpec::literal_subject),
      field("duration", &CertificateSpec::duration),
      field("renewBefore", &CertificateSpec::renew_before),
      field("renewBeforePercentage", &CertificateSpec::renew_before_percentage),
      field("isCA", &CertificateSpec::is_ca),
      field("usages", &CertificateSpec::usages),
      field("privateKey", &CertificateSpec::private_key),
      field("signatureAlgorithm", &CertificateSpec::signature_algorithm),
      field("encodeUsagesInRequest", &CertificateSpec::encode_usages_in_request),
      field("revisionHistoryLimit", &CertificateSpec::revision_history_limit),
      field("secretTemplate", &CertificateSpec::secret_template),
      field("additionalOutputFormats", &CertificateSpec::additional_output_formats),
      field("keystores", &CertificateSpec::keystores),
      field("nameConstraints", &CertificateSpec::name_constraints),
      field("renewal", &CertificateSpec::renewal),
  };
};

template <>
struct Schema<AcmeRenewalWindow> {
  static constexpr auto fields = std::tuple{
      field("start", &AcmeRenewalWindow::start),
      field("end", &AcmeRenewalWindow::end),
  };
};

template <>
struct Schema<CertificateAcmeAriStatus> {
  static constexpr auto fields = std::tuple{
      field("certID", &CertificateAcmeAriStatus::cert_id),
      field("suggestedWindow", &CertificateAcmeAriStatus::suggested_window),
      field("lastChecked", &CertificateAcmeAriStatus::last_checked),
      field("nextCheck", &CertificateAcmeAriStatus::next_check),
  };
};

template <>
struct Schema<CertificateAcmeStatus> {
  static constexpr auto fields = std::tuple{
      field("ari", &CertificateAcmeStatus::ari),
  };
};

template <>
struct Schema<CertificateStatus> {
  static constexpr auto fields = std::tuple{
      field("conditions", &CertificateStatus::conditions),
      field("lastFailureTime", &CertificateStatus::last_failure_time),
      field("notBefore", &CertificateStatus::not_before),
      field("notAfter", &CertificateStatus::not_after),
      field("renewalTime", &CertificateStatus::renewal_time),
      field("revision", &CertificateStatus::revision),
      field("nextPrivateKeySecretName", &CertificateStatus::next_private_key_secret_name),
      field("failedIssuanceAttempts", &CertificateStatus::failed_issuance_attempts),
      field("acme", &CertificateStatus::acme),
  };
};

template <>
struct Schema<Certificate> {
  static constexpr std::string_view api_version = "cert-manager.io/v1";
  static constexpr std::string_view kind = "Certificate";
  static constexpr auto fields = std::tuple{
      required("metadata", &Certificate::metadata),
      required("spec", &Certificate::spec),
      field("status", &Certificate::status),
  };
};

template <>
struct Schema<CertificateRequestSpec> {
  static constexpr auto fields = std::tuple{
      required("request", &CertificateRequestSpec::request),
      required("issuerRef", &CertificateRequestSpec::issuer_ref),
      field("duration", &CertificateRequestSpec::duration),
      field("isCA", &CertificateRequestSpec::is_ca),
      field("usages", &CertificateRequestSpec::usages),
      field("username", &CertificateRequestSpec::username),
      field("uid", &CertificateRequestSpec::uid),
      field("groups", &CertificateRequestSpec::groups),
  };
};

template <>
struct Schema<CertificateRequestStatus> {
  static constexpr auto fields = std::tuple{
      field("conditions", &CertificateRequestStatus::conditions),
      field("certificate", &CertificateRequestStatus::certificate),
      field("ca", &CertificateRequestStatus::ca),
      field("failureTime", &CertificateRequestStatus::failure_time),
  };
};

template <>
struct Schema<CertificateRequest> {
  static constexpr std::string_view api_version = "cert-manager.io/v1";
  static constexpr std::string_view kind = "CertificateRequest";
  static constexpr auto fields = std::tuple{
      required("metadata", &CertificateRequest::metadata),
      required("spec", &CertificateRequest::spec),
      field("status", &CertificateRequest::status),
  };
};

}  // namespace certmill::json

CERTMILL_RESOURCE_CODEC(certmill::api::Certificate);
CERTMILL_RESOURCE_CODEC(certmill::api::CertificateRequest);

// The spec alone: the controller hashes it to notice any change of a spec.
template std::string certmill::api::encode<certmill::api::CertificateSpec>(
    const certmill::api::CertificateSpec&);
// A request's status alone: the merge patch of a request certmill did not
// make sends its status only, never a spec re-encoded from what it decoded.
template std::string certmill::api::encode<certmill::api::CertificateRequestStatus>(
    const certmill::api::CertificateRequestStatus&);
// status.acme alone: what the CA's renewal information says is patched on
// its own, as a merge patch of the status subresource.
template std::string certmill::api::encode<certmill::api::CertificateAcmeStatus>(
    const certmill::api::CertificateAcmeStatus&);
