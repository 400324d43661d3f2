// The X.509v3 extensions certmill writes into CSRs and certificates, encoded
// as Go's crypto/x509 encodes them (key usage and basic constraints critical,
// subject alternative names critical only when the subject is empty).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/pki/key_usage.hpp"
#include "core/pki/names.hpp"
#include "core/pki/ossl.hpp"

namespace certmill::pki {

// Each returns a new extension owned by the caller, or nullptr (with OpenSSL's
// error queue set) on failure.
X509_EXTENSION* key_usage_extension(uint16_t key_usage);
X509_EXTENSION* extended_key_usage_extension(const std::vector<int>& nids);
X509_EXTENSION* basic_constraints_extension(bool is_ca);
X509_EXTENSION* subject_alt_name_extension(GENERAL_NAMES* names, bool critical);
X509_EXTENSION* subject_key_id_extension(const std::string& id);
X509_EXTENSION* authority_key_id_extension(const std::string& id);
// Authority information access: OCSP responders and CA issuer URLs.
X509_EXTENSION* authority_info_access_extension(const std::vector<std::string>& ocsp,
                                                const std::vector<std::string>& issuers);
X509_EXTENSION* crl_distribution_points_extension(const std::vector<std::string>& urls);
// spec.nameConstraints, as cert-manager encodes it (critical when it says):
// DNS domains, IP ranges (CIDR), email addresses and URI domains, permitted
// and excluded. An error names a range that does not parse.
Result<X509_EXTENSION*> name_constraints_extension(const api::NameConstraints& constraints);
// What a name constraints extension says, as one text that two extensions
// share exactly when they constrain the same names (each list sorted); a
// spec's constraints by way of the extension they encode to.
std::string name_constraints_text(X509_EXTENSION* ext);
std::string name_constraints_text(const api::NameConstraints& constraints);

// Takes ownership of `ext`; false when it is nullptr or cannot be added.
bool push_extension(STACK_OF(X509_EXTENSION) * stack, X509_EXTENSION* ext);

// What a CSR or certificate says about usages and CA-ness; absent extensions
// stay nullopt, which differs from "present and empty".
struct ExtensionSummary {
  std::optional<uint16_t> key_usage;
  std::optional<std::vector<int>> extended_key_usage;
  std::optional<bool> is_ca;
  SubjectAltNames sans;
  bool sans_critical = false;
  std::string name_constraints;  // name_constraints_text; empty when absent
};
ExtensionSummary summarize(const STACK_OF(X509_EXTENSION) * exts);

// SHA-1 of the subjectPublicKey bits (RFC 5280 §4.2.1.2 method 1), as Go
// computes a CA's subject key identifier.
std::string key_identifier(X509_PUBKEY* key);

}  // namespace certmill::pki
