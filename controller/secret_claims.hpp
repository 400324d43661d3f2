// Which other Certificates name the same spec.secretName in their namespace:
// the input of the reconciler's DuplicateSecretName check. Kept up to date
// from the cache's changes, so each Certificate's check is one lookup; a
// Certificate being deleted claims nothing. Claims are kept under a 128-bit
// digest of "namespace/name" with the first claimant's name inline: nearly
// every Secret has one claimant, and a string-keyed std::map of vectors cost
// about 180 bytes per Certificate at 10,000 Certificates, this about 100.
#pragma once

#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/container/small_vector.hpp>

#include "controller/certificate_view.hpp"
#include "controller/hashed_key.hpp"

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
  std::span<const std::string> claimants(const std::string& secret) const;

 private:
  using Names = boost::container::small_vector<std::string, 1>;

  std::unordered_map<HashedKey, Names, HashedKeyHash> by_secret_;
};

}  // namespace certmill::controller
