// The TLS Secret exactly as cert-manager writes it for a Certificate: data
// keys, cert-manager.io/* annotations, label, extra formats and keystores.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/api/certificate.hpp"
#include "core/api/secret.hpp"
#include "core/pki/x509.hpp"
#include "core/result.hpp"

namespace certmill::pki {

inline constexpr const char* fao_label = "controller.cert-manager.io/fao";

struct TlsSecretInput {
  std::string private_key_pem;
  std::string chain_pem;  // leaf first
  std::string ca_pem;
  // For keystores.pkcs12: the password the controller read from
  // passwordSecretRef; when unset, spec.keystores.pkcs12.password is used.
  std::optional<std::string> pkcs12_password;
  // --enable-certificate-owner-ref: the Secret carries
  // certificate_owner_reference(crt), so that deleting the Certificate
  // deletes it.
  bool owner_reference = false;
};

// What cert-manager's metav1.NewControllerRef makes for a Certificate:
// cert-manager.io/v1, controller and blockOwnerDeletion both true.
api::OwnerReference certificate_owner_reference(const api::Certificate& crt);

// Go's encoding/csv for one record without the newline (cert-manager's
// JoinWithEscapeCSV): fields with a comma, quote or line break, or starting
// with a space, are quoted.
std::string join_csv(const std::vector<std::string>& fields);

// cert-manager's annotations: certificate-name, issuer-name/kind/group, and
// from the leaf common-name, alt-names, ip-sans, uri-sans (always, possibly
// empty), email-sans and subject-* (only when non-empty).
api::StringMap certificate_annotations(const api::Certificate& crt, const CertificateInfo& leaf);

// The whole Secret; spec.secretTemplate labels and annotations are merged
// under certmill's own, and ownerReferences is the Certificate's controller
// reference or nothing (`in.owner_reference`). Errors: a chain or key that does not parse, a
// keystore that cannot be built (JKS is not supported yet).
Result<api::Secret> build_tls_secret(const api::Certificate& crt, const TlsSecretInput& in);

}  // namespace certmill::pki
