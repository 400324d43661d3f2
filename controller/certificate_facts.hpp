// The facts about an issued certificate the reconciler reads: validity and
// what it says about each spec field. Taken from a Secret's tls.crt or from
// a CertificateRequest's status.certificate.
#pragma once

#include <cstdint>

#include "controller/spec_digest.hpp"
#include "core/pki/x509.hpp"
#include "core/time.hpp"

namespace certmill::controller {

struct IssuedFacts {
  Time not_before;
  Time not_after;
  SpecDigests have;
  uint64_t issuer_digest = 0;  // the issuer's distinguished name
  bool operator==(const IssuedFacts&) const = default;
};

IssuedFacts issued_facts(const pki::CertificateInfo& leaf);

}  // namespace certmill::controller
