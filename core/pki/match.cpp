// Spec-to-certificate comparison.
#include "core/pki/match.hpp"

#include <algorithm>

#include "core/pki/key_usage.hpp"
#include "core/pki/names.hpp"

namespace certmill::pki {

namespace {

bool same_set(std::vector<std::string> a, std::vector<std::string> b) {
  std::sort(a.begin(), a.end());
  a.erase(std::unique(a.begin(), a.end()), a.end());
  std::sort(b.begin(), b.end());
  b.erase(std::unique(b.begin(), b.end()), b.end());
  return a == b;
}

// Text that does not parse stays as written, so it never matches a real address.
std::vector<std::string> canonical_ips(const std::vector<std::string>& ips) {
  std::vector<std::string> out;
  for (const std::string& ip : ips) {
    auto raw = parse_ip(ip);
    out.push_back(raw ? format_ip(*raw) : ip);
  }
  return out;
}

bool subject_differs(const api::X509Subject& want, const api::X509Subject& have) {
  return !same_set(want.organizations, have.organizations) ||
         !same_set(want.organizational_units, have.organizational_units) ||
         !same_set(want.countries, have.countries) || !same_set(want.localities, have.localities) ||
         !same_set(want.provinces, have.provinces) ||
         !same_set(want.street_addresses, have.street_addresses) ||
         !same_set(want.postal_codes, have.postal_codes) ||
         want.serial_number != have.serial_number;
}

}  // namespace

std::vector<std::string> certificate_mismatches(const api::CertificateSpec& spec,
                                                const CertificateInfo& cert) {
  std::vector<std::string> out;
  if (!spec.literal_subject.empty()) {
    auto literal = parse_literal_subject(spec.literal_subject);
    if (!literal || name_text(literal->get()) != cert.subject_text)
      out.emplace_back("spec.literalSubject");
  } else {
    if (spec.common_name != cert.subject.common_name)
      out.emplace_back("spec.commonName");
    if (subject_differs(spec.subject.value_or(api::X509Subject{}), cert.subject.subject))
      out.emplace_back("spec.subject");
  }
  if (!same_set(spec.dns_names, cert.sans.dns_names))
    out.emplace_back("spec.dnsNames");
  if (!same_set(canonical_ips(spec.ip_addresses), cert.sans.ip_addresses))
    out.emplace_back("spec.ipAddresses");
  if (!same_set(spec.uris, cert.sans.uris))
    out.emplace_back("spec.uris");
  if (!same_set(spec.email_addresses, cert.sans.email_addresses))
    out.emplace_back("spec.emailAddresses");
  if (spec.is_ca != cert.is_ca)
    out.emplace_back("spec.isCA");
  const Usages usages = resolve_usages(spec.usages, spec.is_ca);
  std::vector<int> want_eku = usages.extended, have_eku = cert.extended_key_usage;
  std::sort(want_eku.begin(), want_eku.end());
  std::sort(have_eku.begin(), have_eku.end());
  if (usages.key_usage != cert.key_usage || want_eku != have_eku)
    out.emplace_back("spec.usages");
  return out;
}

bool reuse_private_key(const KeySpec& spec, const PrivateKey* existing) {
  return spec.rotation == api::RotationPolicy::Never && existing != nullptr &&
         key_matches_spec(*existing, spec);
}

}  // namespace certmill::pki
