// Which Ingresses and Gateways get Certificates, and from which issuer, as
// cert-manager's certificate-shim decides from the cert-manager.io/issuer,
// cluster-issuer, issuer-kind and issuer-group annotations, the
// --auto-certificate-annotations with --default-issuer-*, and which of their
// annotations (--extra-certificate-annotations) the Certificates carry.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/api/certificate.hpp"
#include "core/result.hpp"

namespace certmill::controller {

// What the command line tells the shims. `issuer` is the one for Ingresses
// that only carry an auto-certificate annotation set to true (cert-manager's
// --default-issuer-name/kind/group, whose kind and group also fill in what
// the annotations leave out); those annotations are ignored when no name is
// configured.
struct ShimDefaults {
  api::IssuerRef issuer{"", "Issuer", "cert-manager.io"};
  // --auto-certificate-annotations: read on Ingresses only, as in
  // cert-manager.
  std::vector<std::string> auto_annotations = {"kubernetes.io/tls-acme"};
  // --extra-certificate-annotations: keys copied, when the Ingress or
  // Gateway has them, onto the Certificates made for it.
  std::vector<std::string> extra_annotations = {};
};

// Go's strconv.ParseBool reading true: "1", "t", "T", "TRUE", "true", "True".
bool go_true(std::string_view text);

// Whether the object asks for Certificates at all: an issuer or
// cluster-issuer annotation, or (Ingress only) one of the auto-certificate
// annotations set to true with a default issuer configured.
bool wants_certificates(const api::StringMap& annotations, const ShimDefaults& defaults,
                        bool is_ingress);

// The object's annotations whose keys --extra-certificate-annotations names.
api::StringMap extra_certificate_annotations(const api::StringMap& annotations,
                                             const std::vector<std::string>& keys);

// The issuer the annotations name. Errors list every conflict, as cert-manager
// does ("both ... may not be set").
Result<api::IssuerRef> shim_issuer(const api::StringMap& annotations, const ShimDefaults& defaults);

}  // namespace certmill::controller
