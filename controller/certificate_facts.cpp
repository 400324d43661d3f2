// CertificateInfo → IssuedFacts.
#include "controller/certificate_facts.hpp"

#include "controller/digest.hpp"

namespace certmill::controller {

IssuedFacts issued_facts(const pki::CertificateInfo& leaf) {
  return IssuedFacts{leaf.not_before, leaf.not_after, certificate_digests(leaf),
                     digest_of(leaf.issuer_text)};
}

}  // namespace certmill::controller
