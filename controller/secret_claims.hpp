// Which other Certificates name the same spec.secretName in their namespace:
// the input of the reconciler's DuplicateSecretName check. Kept up to date
// from the cache's changes, so each Certificate's check is one lookup; a
// Certificate being deleted claims nothing.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "controller/certificate_view.hpp"

namespace certmill::controller {

class SecretClaims {
 public:
  SecretClaims() = default;
  explicit SecretClaims(const std::vector<const CertificateView*>& certificates);

  // Follows one cache change (`before` null when added, `after` null when
  // deleted); returns the Secrets ("namespace/name") whose claimants changed.
  std::vector<std::string> update(const CertificateView* before, const CertificateView* after);

  // The other Certificates claiming `crt`'s Secret, sorted; empty for most.
  std::vector<std::string> others(const CertificateView& crt) const;
  // Every Certificate claiming `secret` ("namespace/name"), sorted.
  const std::vector<std::string>& claimants(const std::string& secret) const;

 private:
  std::map<std::string, std::vector<std::string>> by_secret_;
};

}  // namespace certmill::controller
