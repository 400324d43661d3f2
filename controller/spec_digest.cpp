// Field fingerprints of specs, certificates and requests.
#include "controller/spec_digest.hpp"

#include <algorithm>

#include "controller/digest.hpp"
#include "core/pki/extensions.hpp"
#include "core/pki/key_usage.hpp"
#include "core/pki/names.hpp"

namespace certmill::controller {

namespace {

uint64_t set_digest(const std::vector<std::string>& values) {
  return Digest().add_set(values).value();
}

uint64_t subject_digest(const api::X509Subject& s) {
  return Digest()
      .add_set(s.organizations)
      .add_set(s.countries)
      .add_set(s.organizational_units)
      .add_set(s.localities)
      .add_set(s.provinces)
      .add_set(s.street_addresses)
      .add_set(s.postal_codes)
      .add(s.serial_number)
      .value();
}

uint64_t usages_digest(uint16_t key_usage, std::vector<int> extended) {
  std::sort(extended.begin(), extended.end());
  Digest d;
  d.add(key_usage);
  for (int nid : extended)
    d.add(static_cast<uint64_t>(nid));
  return d.value();
}

// Text that does not parse stays as written, so it never matches a real address.
std::vector<std::string> canonical_ips(const std::vector<std::string>& ips) {
  std::vector<std::string> out;
  for (const std::string& ip : ips) {
    auto raw = pki::parse_ip(ip);
    out.push_back(raw ? pki::format_ip(*raw) : ip);
  }
  return out;
}

// spec.otherNames as a set of "oid=value", and the name constraints' text.
uint64_t extras_digest(const std::vector<api::OtherName>& other_names,
                       const std::string& name_constraints) {
  std::vector<std::string> others;
  for (const api::OtherName& o : other_names)
    others.push_back(o.oid + "=" + o.utf8_value);
  return Digest().add_set(others).add(name_constraints).value();
}

void set_names(SpecDigests& d, const pki::DistinguishedName& dn, const std::string& dn_text,
               const pki::SubjectAltNames& sans) {
  d.set(SpecField::CommonName, digest_of(dn.common_name));
  d.set(SpecField::Subject, subject_digest(dn.subject));
  d.set(SpecField::LiteralSubject, digest_of(dn_text));
  d.set(SpecField::DnsNames, set_digest(sans.dns_names));
  d.set(SpecField::IpAddresses, set_digest(sans.ip_addresses));
  d.set(SpecField::Uris, set_digest(sans.uris));
  d.set(SpecField::EmailAddresses, set_digest(sans.email_addresses));
}

void set_usages(SpecDigests& d, const std::vector<api::KeyUsage>& usages, bool is_ca) {
  const pki::Usages resolved = pki::resolve_usages(usages, is_ca);
  d.set(SpecField::IsCA, is_ca ? 1 : 2);
  d.set(SpecField::Usages, usages_digest(resolved.key_usage, resolved.extended));
}

}  // namespace

const char* spec_field_name(SpecField field) {
  switch (field) {
    case SpecField::CommonName:
      return "spec.commonName";
    case SpecField::Subject:
      return "spec.subject";
    case SpecField::LiteralSubject:
      return "spec.literalSubject";
    case SpecField::DnsNames:
      return "spec.dnsNames";
    case SpecField::IpAddresses:
      return "spec.ipAddresses";
    case SpecField::Uris:
      return "spec.uris";
    case SpecField::EmailAddresses:
      return "spec.emailAddresses";
    case SpecField::IsCA:
      return "spec.isCA";
    case SpecField::Usages:
      return "spec.usages";
    case SpecField::OtherNamesAndNameConstraints:
      return "spec.otherNames or spec.nameConstraints";
  }
  return "spec";
}

SpecDigests spec_digests(const api::CertificateSpec& spec) {
  SpecDigests d;
  d.literal_subject = !spec.literal_subject.empty();
  if (d.literal_subject) {
    auto literal = pki::parse_literal_subject(spec.literal_subject);
    // A literal that does not parse can match no certificate.
    d.set(SpecField::LiteralSubject,
          literal ? digest_of(pki::name_text(literal->get()))
                  : Digest().add("invalid").add(spec.literal_subject).value());
  }
  pki::SubjectAltNames sans{spec.dns_names, spec.email_addresses, canonical_ips(spec.ip_addresses),
                            spec.uris, spec.other_names};
  d.set(SpecField::CommonName, digest_of(spec.common_name));
  d.set(SpecField::Subject, subject_digest(spec.subject.value_or(api::X509Subject{})));
  d.set(SpecField::DnsNames, set_digest(sans.dns_names));
  d.set(SpecField::IpAddresses, set_digest(sans.ip_addresses));
  d.set(SpecField::Uris, set_digest(sans.uris));
  d.set(SpecField::EmailAddresses, set_digest(sans.email_addresses));
  set_usages(d, spec.usages, spec.is_ca);
  // Only a CA carries name constraints (the webhook's rule); a leaf's spec
  // that names some asks for none.
  d.set(SpecField::OtherNamesAndNameConstraints,
        extras_digest(spec.other_names, spec.name_constraints && spec.is_ca
                                            ? pki::name_constraints_text(*spec.name_constraints)
                                            : std::string()));
  return d;
}

SpecDigests certificate_digests(const pki::CertificateInfo& cert) {
  SpecDigests d;
  set_names(d, cert.subject, cert.subject_text, cert.sans);
  d.set(SpecField::OtherNamesAndNameConstraints,
        extras_digest(cert.sans.other_names, cert.name_constraints));
  d.set(SpecField::IsCA, cert.is_ca ? 1 : 2);
  d.set(SpecField::Usages, usages_digest(cert.key_usage, cert.extended_key_usage));
  return d;
}

SpecDigests request_digests(const pki::ParsedCsr& csr, const api::CertificateRequestSpec& spec) {
  SpecDigests d;
  set_names(d, csr.subject, pki::name_text(X509_REQ_get_subject_name(csr.req.get())),
            csr.extensions.sans);
  set_usages(d, spec.usages, spec.is_ca);
  d.set(SpecField::OtherNamesAndNameConstraints,
        extras_digest(csr.extensions.sans.other_names,
                      spec.is_ca ? csr.extensions.name_constraints : std::string()));
  return d;
}

std::vector<std::string> spec_mismatches(const SpecDigests& want, const SpecDigests& have) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < spec_field_count; ++i) {
    const auto field = static_cast<SpecField>(i);
    const bool name_field = field == SpecField::CommonName || field == SpecField::Subject;
    if (want.literal_subject ? name_field : field == SpecField::LiteralSubject)
      continue;
    if (want[field] != have[field])
      out.emplace_back(spec_field_name(field));
  }
  return out;
}

}  // namespace certmill::controller
