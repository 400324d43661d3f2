// Secret name → Certificate names.
#include "controller/secret_claims.hpp"

#include <algorithm>

namespace certmill::controller {

SecretClaims::SecretClaims(const std::vector<const CertificateView*>& certificates) {
  for (const CertificateView* crt : certificates) {
    if (!crt->deleting)
      by_secret_[crt->secret_name].push_back(crt->name);
  }
  for (auto& [secret, names] : by_secret_)
    std::sort(names.begin(), names.end());
}

std::vector<std::string> SecretClaims::others(const CertificateView& crt) const {
  auto it = by_secret_.find(crt.secret_name);
  if (it == by_secret_.end())
    return {};
  std::vector<std::string> out;
  for (const std::string& name : it->second) {
    if (name != crt.name)
      out.push_back(name);
  }
  return out;
}

}  // namespace certmill::controller
