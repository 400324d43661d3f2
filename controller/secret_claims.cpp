// Secret ("namespace/name") → the names of the Certificates claiming it.
#include "controller/secret_claims.hpp"

#include <algorithm>

namespace certmill::controller {

namespace {

std::string secret_of(const CertificateView& crt) {
  return crt.namespace_ + "/" + crt.secret_name;
}

bool claims(const CertificateView* crt) {
  return crt && !crt->deleting;
}

}  // namespace

SecretClaims::SecretClaims(const std::vector<const CertificateView*>& certificates) {
  for (const CertificateView* crt : certificates)
    update(nullptr, crt);
}

std::vector<std::string> SecretClaims::update(const CertificateView* before,
                                              const CertificateView* after) {
  std::vector<std::string> changed;
  const bool same = claims(before) && claims(after) && before->secret_name == after->secret_name &&
                    before->name == after->name;
  if (same)
    return changed;
  if (claims(before)) {
    const std::string secret = secret_of(*before);
    auto it = by_secret_.find(HashedKey::of(secret));
    if (it != by_secret_.end()) {
      Names& names = it->second;
      names.erase(std::remove(names.begin(), names.end(), before->name), names.end());
      if (names.empty())
        by_secret_.erase(it);
    }
    changed.push_back(secret);
  }
  if (claims(after)) {
    const std::string secret = secret_of(*after);
    auto& names = by_secret_[HashedKey::of(secret)];
    names.insert(std::lower_bound(names.begin(), names.end(), after->name), after->name);
    if (changed.empty() || changed.front() != secret)
      changed.push_back(secret);
  }
  return changed;
}

std::vector<std::string> SecretClaims::others(const CertificateView& crt) const {
  std::vector<std::string> out;
  for (const std::string& name : claimants(secret_of(crt))) {
    if (name != crt.name)
      out.push_back(name);
  }
  return out;
}

std::span<const std::string> SecretClaims::claimants(const std::string& secret) const {
  auto it = by_secret_.find(HashedKey::of(secret));
  if (it == by_secret_.end())
    return {};
  return {it->second.data(), it->second.size()};
}

}  // namespace certmill::controller
