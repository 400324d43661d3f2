// cert-manager.io/v1 Certificate and CertificateRequest: what a user asks for,
// and the signing request certmill makes for it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/api/meta.hpp"

namespace certmill::api {

// cert-manager's KeyUsage strings, key usages and extended key usages alike.
enum class KeyUsage {
  Signing,
  DigitalSignature,
  ContentCommitment,
  KeyEncipherment,
  KeyAgreement,
  DataEncipherment,
  CertSign,
  CRLSign,
  EncipherOnly,
  DecipherOnly,
  Any,
  ServerAuth,
  ClientAuth,
  CodeSigning,
  EmailProtection,
  SMIME,
  IPsecEndSystem,
  IPsecTunnel,
  IPsecUser,
  Timestamping,
  OCSPSigning,
  MicrosoftSGC,
  NetscapeSGC,
};

enum class PrivateKeyAlgorithm { RSA, ECDSA, Ed25519 };
enum class PrivateKeyEncoding { PKCS1, PKCS8 };
enum class RotationPolicy { Never, Always };
enum class OutputFormat { CombinedPEM, DER };

struct X509Subject {
  std::vector<std::string> organizations;
  std::vector<std::string> countries;
  std::vector<std::string> organizational_units;
  std::vector<std::string> localities;
  std::vector<std::string> provinces;
  std::vector<std::string> street_addresses;
  std::vector<std::string> postal_codes;
  std::string serial_number;
  bool operator==(const X509Subject&) const = default;
};

struct OtherName {
  std::string oid;
  std::string utf8_value;
  bool operator==(const OtherName&) const = default;
};

struct CertificatePrivateKey {
  std::optional<RotationPolicy> rotation_policy;
  std::optional<PrivateKeyEncoding> encoding;
  std::optional<PrivateKeyAlgorithm> algorithm;
  int32_t size = 0;
  bool operator==(const CertificatePrivateKey&) const = default;
};

struct SecretTemplate {
  StringMap annotations;
  StringMap labels;
  bool operator==(const SecretTemplate&) const = default;
};

struct AdditionalOutputFormat {
  OutputFormat type = OutputFormat::CombinedPEM;
  bool operator==(const AdditionalOutputFormat&) const = default;
};

struct KeystoreOptions {
  bool create = false;
  std::optional<SecretKeySelector> password_secret_ref;
  std::string password;
  std::string profile;
  bool operator==(const KeystoreOptions&) const = default;
};

struct Keystores {
  std::optional<KeystoreOptions> jks;
  std::optional<KeystoreOptions> pkcs12;
  bool operator==(const Keystores&) const = default;
};

struct NameConstraintItem {
  std::vector<std::string> dns_domains;
  std::vector<std::string> ip_ranges;
  std::vector<std::string> email_addresses;
  std::vector<std::string> uri_domains;
  bool operator==(const NameConstraintItem&) const = default;
};

struct NameConstraints {
  bool critical = false;
  std::optional<NameConstraintItem> permitted;
  std::optional<NameConstraintItem> excluded;
  bool operator==(const NameConstraints&) const = default;
};

// spec.renewal.windows[]: renewal may start only while a window is open,
// from each activation of `cron` on `timezone`'s clock for `window_duration`.
struct RenewalWindowSpec {
  std::string cron;
  std::string timezone;
  std::optional<Duration> window_duration;
  bool operator==(const RenewalWindowSpec&) const = default;
};

// spec.renewal (cert-manager v1.21). The policy is kept as written ("" is
// RenewBefore), so that an unknown one reaches validation and is reported on
// the Certificate rather than failing its decoding.
struct CertificateRenewal {
  std::string policy;  // RenewBefore or Disabled
  std::vector<RenewalWindowSpec> windows;
  bool operator==(const CertificateRenewal&) const = default;
};

struct CertificateSpec {
  std::string secret_name;
  IssuerRef issuer_ref;
  std::string common_name;
  std::vector<std::string> dns_names;
  std::vector<std::string> ip_addresses;
  std::vector<std::string> uris;
  std::vector<std::string> email_addresses;
  std::vector<OtherName> other_names;
  std::optional<X509Subject> subject;
  std::string literal_subject;
  std::optional<Duration> duration;
  std::optional<Duration> renew_before;
  std::optional<int32_t> renew_before_percentage;
  bool is_ca = false;
  std::vector<KeyUsage> usages;
  std::optional<CertificatePrivateKey> private_key;
  std::string signature_algorithm;
  std::optional<bool> encode_usages_in_request;
  std::optional<int32_t> revision_history_limit;
  std::optional<SecretTemplate> secret_template;
  std::vector<AdditionalOutputFormat> additional_output_formats;
  std::optional<Keystores> keystores;
  std::optional<NameConstraints> name_constraints;
  std::optional<CertificateRenewal> renewal;
  bool operator==(const CertificateSpec&) const = default;
};

// status.acme.ari (cert-manager v1.21): what the CA last said, by RFC 9773,
// about when to renew the certificate `cert_id` names (the Secret's at the
// time), and when it is asked next.
struct AcmeRenewalWindow {
  std::optional<Time> start;
  std::optional<Time> end;
  bool operator==(const AcmeRenewalWindow&) const = default;
};

struct CertificateAcmeAriStatus {
  std::string cert_id;
  std::optional<AcmeRenewalWindow> suggested_window;
  std::optional<Time> last_checked;
  std::optional<Time> next_check;
  bool operator==(const CertificateAcmeAriStatus&) const = default;
};

struct CertificateAcmeStatus {
  std::optional<CertificateAcmeAriStatus> ari;
  bool operator==(const CertificateAcmeStatus&) const = default;
};

struct CertificateStatus {
  std::vector<Condition> conditions;
  std::optional<Time> last_failure_time;
  std::optional<Time> not_before;
  std::optional<Time> not_after;
  std::optional<Time> renewal_time;
  std::optional<int32_t> revision;
  std::string next_private_key_secret_name;
  std::optional<int32_t> failed_issuance_attempts;
  std::optional<CertificateAcmeStatus> acme;
  bool operator==(const CertificateStatus&) const = default;
};

struct Certificate {
  ObjectMeta metadata;
  CertificateSpec spec;
  CertificateStatus status;
  bool operator==(const Certificate&) const = default;
};

struct CertificateRequestSpec {
  Bytes request;  // PEM-encoded CSR
  IssuerRef issuer_ref;
  std::optional<Duration> duration;
  bool is_ca = false;
  std::vector<KeyUsage> usages;
  std::string username;
  std::string uid;
  std::vector<std::string> groups;
  bool operator==(const CertificateRequestSpec&) const = default;
};

struct CertificateRequestStatus {
  std::vector<Condition> conditions;
  Bytes certificate;  // PEM chain, leaf first
  Bytes ca;
  std::optional<Time> failure_time;
  bool operator==(const CertificateRequestStatus&) const = default;
};

struct CertificateRequest {
  ObjectMeta metadata;
  CertificateRequestSpec spec;
  CertificateRequestStatus status;
  bool operator==(const CertificateRequest&) const = default;
};

}  // namespace certmill::api
