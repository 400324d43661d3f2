// Reading X.509 certificates: what the reconciler needs to decide whether a
// Secret still matches its Certificate (validity, names, usages, issuer,
// serial, key identifiers) and whether a private key belongs to a certificate.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/pki/keys.hpp"
#include "core/pki/names.hpp"
#include "core/pki/ossl.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace certmill::pki {

struct CertificateInfo {
  Time not_before;
  Time not_after;
  std::string serial_hex;  // lowercase, no leading zeros
  DistinguishedName subject;
  std::string subject_text;  // RFC 2253
  std::string issuer_text;
  SubjectAltNames sans;
  uint16_t key_usage = 0;  // KeyUsageBit flags; 0 when the extension is absent
  std::vector<int> extended_key_usage;
  bool is_ca = false;            // basicConstraints cA
  std::string name_constraints;  // name_constraints_text; empty when absent
  std::string subject_key_id;    // raw bytes; empty when absent
  std::string authority_key_id;
  bool self_signed = false;  // issuer == subject and the signature verifies with its own key
};

// One parsed certificate; copies share the underlying X509.
class Certificate {
 public:
  explicit Certificate(X509Ptr x509);
  Certificate(const Certificate& other);
  Certificate& operator=(const Certificate& other);
  Certificate(Certificate&&) noexcept = default;
  Certificate& operator=(Certificate&&) noexcept = default;

  X509* get() const noexcept { return x509_.get(); }
  const CertificateInfo& info() const noexcept { return info_; }
  std::string der() const;
  std::string pem() const;
  // Whether `issuer`'s key verifies this certificate's signature.
  bool signed_by(const Certificate& issuer) const;

 private:
  X509Ptr x509_;
  CertificateInfo info_;
};

// Every CERTIFICATE block of `pem`, in order; other block types are skipped.
// `what` names the input in errors ("tls.crt").
Result<std::vector<Certificate>> parse_certificates(std::string_view pem, std::string_view what);
Result<Certificate> parse_certificate(std::string_view pem, std::string_view what);

std::string certificates_pem(const std::vector<Certificate>& certs);

bool key_matches_certificate(const PrivateKey& key, const Certificate& cert);

}  // namespace certmill::pki
