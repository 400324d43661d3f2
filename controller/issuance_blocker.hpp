// What stops certmill from issuing for a Certificate even though it must: a
// spec that breaks cert-manager's webhook rules, an issuerRef of the wrong kind, an issuer that
// does not exist or is not Ready, a spec.privateKey it cannot generate, or another Certificate in
// the namespace that claims the same Secret. Each becomes Ready=False (when the Certificate is not
// Ready anyway) with this reason and message.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "controller/certificate_checks.hpp"
#include "controller/issuer_view.hpp"

namespace certmill::controller {

// The reason of a spec that breaks cert-manager's webhook rules: no issuance
// can fix it, so nothing is done until the spec changes.
inline constexpr const char* kInvalidSpec = "InvalidSpec";

struct IssuanceContext {
  const CertificateView& certificate;
  // The Issuer (same namespace) or ClusterIssuer the issuerRef names, or null.
  const IssuerView* issuer = nullptr;
  // Other Certificates of the namespace with the same spec.secretName.
  const std::vector<std::string>& duplicates;
  // The Secret's cert-manager.io/certificate-name, when it has one: a
  // duplicate that already owns the Secret keeps it.
  const std::optional<std::string>& secret_owner;
};

// Issuers outside cert-manager.io are external: their own controller signs,
// so nothing about them is checked here.
std::optional<Verdict> issuance_blocker(const IssuanceContext& in);

}  // namespace certmill::controller
