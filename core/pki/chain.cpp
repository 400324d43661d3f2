// Chain building by signature: each certificate's issuer is the one whose key
// verifies it, so certificates with equal names but different keys do not mix.
#include "core/pki/chain.hpp"

#include <algorithm>

namespace certmill::pki {

Result<std::vector<Certificate>> order_chain(std::vector<Certificate> certs) {
  if (certs.empty())
    return Error(Errc::invalid_value, "the certificate chain is empty");
  // A bound keeps the quadratic search below cheap on hostile input.
  if (certs.size() > 100)
    return Error(Errc::invalid_value, "the certificate chain has more than 100 certificates");
  std::vector<std::string> ders;
  std::vector<Certificate> unique;
  for (Certificate& c : certs) {
    std::string der = c.der();
    if (std::find(ders.begin(), ders.end(), der) != ders.end())
      continue;
    ders.push_back(std::move(der));
    unique.push_back(std::move(c));
  }
  const std::size_t n = unique.size();
  std::vector<bool> is_issuer(n, false);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      if (i != j && unique[i].signed_by(unique[j]))
        is_issuer[j] = true;
  const auto leaves =
      static_cast<std::size_t>(std::count(is_issuer.begin(), is_issuer.end(), false));
  if (leaves != 1)
    return Error(Errc::invalid_value, "the certificates do not form a single chain (" +
                                          std::to_string(leaves) + " certificates sign no other)");
  std::vector<bool> used(n, false);
  std::size_t current = static_cast<std::size_t>(
      std::find(is_issuer.begin(), is_issuer.end(), false) - is_issuer.begin());
  std::vector<Certificate> ordered;
  for (;;) {
    used[current] = true;
    ordered.push_back(unique[current]);
    std::size_t next = n;
    for (std::size_t j = 0; j < n && next == n; ++j)
      if (!used[j] && unique[current].signed_by(unique[j]))
        next = j;
    if (next == n)
      break;
    current = next;
  }
  if (ordered.size() != n)
    return Error(Errc::invalid_value,
                 "the certificate chain is broken: " + std::to_string(n - ordered.size()) +
                     " certificates do not link to the leaf");
  return ordered;
}

Result<PemBundle> bundle_chain(std::vector<Certificate> certs) {
  auto ordered = order_chain(std::move(certs));
  if (!ordered)
    return ordered.error();
  const Certificate& top = ordered->back();
  PemBundle bundle;
  if (ordered->size() == 1) {
    bundle.chain_pem = top.pem();
    if (top.info().self_signed)
      bundle.ca_pem = bundle.chain_pem;
    return bundle;
  }
  for (const Certificate& c : *ordered)
    if (!c.info().self_signed)
      bundle.chain_pem += c.pem();
  bundle.ca_pem = top.pem();
  return bundle;
}

}  // namespace certmill::pki
