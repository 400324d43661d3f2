// Learning certificates from downloads and choosing their renewal windows.
#include "tools/acme-front/certificates.hpp"

#include "core/pki/x509.hpp"

namespace certmill::acmefront {

RenewalWindow default_window(Time not_before, Time not_after) {
  const auto lifetime = not_after - not_before;
  const Time start = not_before + lifetime * 2 / 3;
  return RenewalWindow{start, start + lifetime / 9};
}

Result<std::string> CertificateBook::learn(std::string_view chain_pem) {
  auto leaf = pki::parse_certificate(chain_pem, "downloaded certificate");
  if (!leaf)
    return leaf.error();
  auto id = acme::ari_cert_id(leaf->get());
  if (!id)
    return id.error();
  validity_[*id] = {leaf->info().not_before, leaf->info().not_after};
  return std::move(*id);
}

void CertificateBook::set_window(const std::optional<std::string>& cert_id, RenewalWindow window) {
  if (cert_id)
    windows_[*cert_id] = window;
  else
    every_window_ = window;
}

std::optional<RenewalWindow> CertificateBook::window(const std::string& cert_id) const {
  if (const auto set = windows_.find(cert_id); set != windows_.end())
    return set->second;
  const auto known = validity_.find(cert_id);
  if (known == validity_.end())
    return std::nullopt;
  if (every_window_)
    return every_window_;
  return default_window(known->second.first, known->second.second);
}

}  // namespace certmill::acmefront
