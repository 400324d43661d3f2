// Certificate signing requests: the PKCS#10 request cert-manager builds for a
// Certificate (subject, SANs, and unless encodeUsagesInRequest is false, the
// key usages), and reading a request back, with its signature checked or not.
#pragma once

#include <string>
#include <string_view>

#include "core/api/certificate.hpp"
#include "core/pki/extensions.hpp"
#include "core/pki/keys.hpp"
#include "core/pki/names.hpp"
#include "core/result.hpp"

namespace certmill::pki {

// The subject and SANs a spec asks for.
DistinguishedName requested_name(const api::CertificateSpec& spec);
SubjectAltNames requested_sans(const api::CertificateSpec& spec);

// A PEM "CERTIFICATE REQUEST" signed by `key`, its subject from
// spec.literalSubject when set, else from commonName and subject. Errors name
// the spec field (no name at all, an IP address that does not parse).
Result<std::string> build_csr(const api::CertificateSpec& spec, const PrivateKey& key);

struct ParsedCsr {
  ReqPtr req;
  DistinguishedName subject;
  ExtensionSummary extensions;
};

// Decodes the first CERTIFICATE REQUEST block and verifies its self-signature.
Result<ParsedCsr> parse_csr(std::string_view pem);

// The same without the signature check, for reading what a request asks for
// (a cache projecting every CertificateRequest it sees): whatever signs the
// request must use parse_csr.
Result<ParsedCsr> read_csr(std::string_view pem);

}  // namespace certmill::pki
