// Which other Certificates of a namespace name the same spec.secretName: the
// input of the reconciler's DuplicateSecretName check. Built per namespace
// from the cache, so each Certificate's check is one lookup.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "controller/certificate_view.hpp"

namespace certmill::controller {

class SecretClaims {
 public:
  // `certificates`: one namespace's Certificates.
  explicit SecretClaims(const std::vector<const CertificateView*>& certificates);
  // The other Certificates claiming `crt`'s Secret, sorted; empty for most.
  std::vector<std::string> others(const CertificateView& crt) const;

 private:
  std::map<std::string, std::vector<std::string>> by_secret_;
};

}  // namespace certmill::controller
