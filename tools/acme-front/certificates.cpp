// Learning certificates from downloads, choosing their renewal windows, and
// checking the certificate an order says it replaces.
#include "tools/acme-front/certificates.hpp"

#include <algorithm>
#include <cctype>

#include "core/acme/base64url.hpp"
#include "core/pki/names.hpp"
#include "core/pki/x509.hpp"

namespace certmill::acmefront {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string canonical_ip(std::string_view text) {
  auto raw = pki::parse_ip(text);
  return raw ? pki::format_ip(*raw) : lower(text);
}

// Whether a certificate name covers an order's identifier as Go's
// x509.Certificate.VerifyHostname decides: equal ignoring case, or a
// wildcard SAN "*.example.com" standing for one label of the identifier.
bool covers(const acme::Identifier& san, const acme::Identifier& wanted) {
  if (san.type != wanted.type)
    return false;
  if (san.type == "ip")
    return canonical_ip(san.value) == canonical_ip(wanted.value);
  std::string name = lower(wanted.value);
  while (!name.empty() && name.back() == '.')
    name.pop_back();
  const std::string pattern = lower(san.value);
  if (pattern == name)
    return true;
  if (!pattern.starts_with("*."))
    return false;
  const auto dot = name.find('.');
  return dot != std::string::npos && dot > 0 && name.substr(dot) == pattern.substr(1);
}

constexpr std::string_view kReplacesPrefix = "Could not validate ARI 'replaces' field :: ";

}  // namespace

RenewalWindow default_window(Time not_before, Time not_after) {
  using namespace std::chrono_literals;
  const auto validity = not_after + 1s - not_before;
  const auto offset = validity < std::chrono::days(10) ? validity / 2 : validity / 3;
  const Time ideal = not_after - offset;
  const auto margin = validity / 100;
  return RenewalWindow{ideal - margin, ideal + margin};
}

std::string boulder_serial(std::string_view cert_id) {
  const auto dot = cert_id.find('.');
  if (dot == std::string_view::npos)
    return {};
  auto bytes = acme::base64url_decode(cert_id.substr(dot + 1));
  if (!bytes)
    return {};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (const char c : *bytes) {
    const auto b = static_cast<unsigned char>(c);
    hex.push_back(kHex[b >> 4]);
    hex.push_back(kHex[b & 0xF]);
  }
  hex.erase(0, std::min(hex.find_first_not_of('0'), hex.size()));
  if (hex.size() < 36)
    hex.insert(0, 36 - hex.size(), '0');
  return hex;
}

Result<std::string> CertificateBook::learn(std::string_view chain_pem, std::string account) {
  auto leaf = pki::parse_certificate(chain_pem, "downloaded certificate");
  if (!leaf)
    return leaf.error();
  auto id = acme::ari_cert_id(leaf->get());
  if (!id)
    return id.error();
  KnownCertificate known{leaf->info().not_before, leaf->info().not_after, std::move(account), {}};
  for (const auto& name : leaf->info().sans.dns_names)
    known.identifiers.push_back({"dns", name});
  for (const auto& ip : leaf->info().sans.ip_addresses)
    known.identifiers.push_back({"ip", ip});
  auto [it, fresh] = known_.try_emplace(*id, std::move(known));
  if (!fresh && it->second.account.empty())
    it->second = std::move(known);
  return std::move(*id);
}

const KnownCertificate* CertificateBook::find(const std::string& cert_id) const {
  const auto it = known_.find(cert_id);
  return it == known_.end() ? nullptr : &it->second;
}

std::optional<ReplacesRefusal> CertificateBook::refuse_replacement(
    const std::string& cert_id, const std::string& account,
    const std::vector<acme::Identifier>& identifiers) const {
  const std::string serial = boulder_serial(cert_id);
  if (replaced(cert_id))
    return ReplacesRefusal{409, "alreadyReplaced",
                           std::string(kReplacesPrefix) +
                               "cannot indicate an order replaces certificate with serial \"" +
                               serial + "\", which already has a replacement order"};
  const KnownCertificate* known = find(cert_id);
  if (known == nullptr)
    return ReplacesRefusal{404, "malformed",
                           std::string(kReplacesPrefix) +
                               "request included `replaces` field, but no current certificate "
                               "with serial \"" +
                               serial + "\" exists"};
  if (known->account != account)
    return ReplacesRefusal{403, "unauthorized",
                           std::string(kReplacesPrefix) +
                               "requester account did not request the certificate being replaced "
                               "by this order"};
  const bool shared = std::any_of(identifiers.begin(), identifiers.end(), [&](const auto& wanted) {
    return std::any_of(known->identifiers.begin(), known->identifiers.end(),
                       [&](const auto& san) { return covers(san, wanted); });
  });
  if (!shared)
    return ReplacesRefusal{400, "malformed",
                           std::string(kReplacesPrefix) +
                               "identifiers in this order do not match any identifiers in the "
                               "certificate being replaced"};
  return std::nullopt;
}

void CertificateBook::set_window(const std::optional<std::string>& cert_id, RenewalWindow window,
                                 std::string explanation_url) {
  if (cert_id) {
    windows_[*cert_id] = window;
    explanations_[*cert_id] = std::move(explanation_url);
  } else {
    every_window_ = window;
    every_explanation_ = std::move(explanation_url);
  }
}

std::string CertificateBook::explanation_url(const std::string& cert_id) const {
  if (const auto set = explanations_.find(cert_id); set != explanations_.end())
    return set->second;
  return every_window_ ? every_explanation_ : std::string();
}

std::optional<RenewalWindow> CertificateBook::window(const std::string& cert_id) const {
  if (const auto set = windows_.find(cert_id); set != windows_.end())
    return set->second;
  const auto known = known_.find(cert_id);
  if (known == known_.end())
    return std::nullopt;
  if (every_window_)
    return every_window_;
  return default_window(known->second.not_before, known->second.not_after);
}

}  // namespace certmill::acmefront
