// What an X.509 certificate says about the fields of a Certificate spec, one
// fingerprint per field, so a cache can tell "does the issued certificate (or
// the request) still match the spec?" without keeping either. Each side is
// reduced the way core/pki/match.hpp compares them: name lists as sets, IP
// addresses in canonical form, usages resolved with cert-manager's defaults.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/api/certificate.hpp"
#include "core/pki/csr.hpp"
#include "core/pki/x509.hpp"

namespace certmill::controller {

enum class SpecField : uint8_t {
  CommonName,
  Subject,
  LiteralSubject,
  DnsNames,
  IpAddresses,
  Uris,
  EmailAddresses,
  IsCA,
  Usages,
  // Rare both, and 4 bytes per digest each: one field for the two.
  OtherNamesAndNameConstraints,
};
inline constexpr std::size_t spec_field_count = 10;

// The manifest name ("spec.dnsNames"), as cert-manager's messages list them.
const char* spec_field_name(SpecField field);

// 32 bits per field: a Certificate carries four of these (its spec, its
// Secret's certificate, its request's CSR and the request's certificate),
// and halving them saved 160 bytes per Certificate. What they decide is
// whether one object still matches another, where a changed field goes
// unnoticed with a chance of 1 in 4 billion.
struct SpecDigests {
  std::array<uint32_t, spec_field_count> fields{};
  // Set on a spec's digests: compare the literal subject, not commonName and
  // subject. Observed sides (a certificate, a CSR) carry all three.
  bool literal_subject = false;

  // A 64-bit digest folded to the 32 bits a field keeps.
  static constexpr uint32_t fold(uint64_t digest) {
    return static_cast<uint32_t>(digest ^ (digest >> 32));
  }
  uint32_t operator[](SpecField f) const { return fields[static_cast<std::size_t>(f)]; }
  void set(SpecField f, uint64_t digest) { fields[static_cast<std::size_t>(f)] = fold(digest); }
  bool operator==(const SpecDigests&) const = default;
};

SpecDigests spec_digests(const api::CertificateSpec& spec);
SpecDigests certificate_digests(const pki::CertificateInfo& cert);
// Names from the CSR; isCA and usages from the request's spec, which is what
// the issuer signs (cert-manager's RequestMatchesSpec).
SpecDigests request_digests(const pki::ParsedCsr& csr, const api::CertificateRequestSpec& spec);

// The fields `have` disagrees with `want` on, by manifest name, in SpecField order.
std::vector<std::string> spec_mismatches(const SpecDigests& want, const SpecDigests& have);

}  // namespace certmill::controller
