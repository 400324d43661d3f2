// The blocking checks, most fundamental first.
#include "controller/issuance_blocker.hpp"

namespace certmill::controller {

namespace {

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names)
    out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

std::optional<Verdict> issuance_blocker(const IssuanceContext& in) {
  const CertificateView& crt = in.certificate;
  // What an admission webhook would have refused: nothing else is worth
  // saying until the spec changes.
  if (const std::string& invalid = crt.rare.get().spec_error; !invalid.empty())
    return Verdict{kInvalidSpec, invalid};
  if (!in.duplicates.empty() && in.secret_owner != crt.name) {
    return Verdict{"DuplicateSecretName",
                   "Certificate shares the same Secret name as the following Certificates in "
                   "this Namespace: [ " +
                       joined(in.duplicates) +
                       " ]. Issuance will block until this is resolved to prevent "
                       "CertificateRequest creation runaway."};
  }
  if (!crt.key)
    return Verdict{"InvalidPrivateKeySpec", crt.rare.get().key_error};
  const api::IssuerRef ref = with_defaults(crt.issuer_ref);
  if (ref.group != "cert-manager.io")
    return std::nullopt;
  if (ref.kind != "Issuer" && ref.kind != "ClusterIssuer") {
    return Verdict{"InvalidIssuerKind", "Referenced issuer kind \"" + ref.kind +
                                            "\" is not supported: use Issuer or ClusterIssuer"};
  }
  const std::string resource = ref.kind == "Issuer" ? "issuer" : "clusterissuer";
  if (!in.issuer) {
    return Verdict{"IssuerNotFound", "Referenced \"" + ref.kind + "\" not found: " + resource +
                                         ".cert-manager.io \"" + ref.name + "\" not found"};
  }
  if (in.issuer->ready.status != api::ConditionStatus::True) {
    return Verdict{
        "IssuerNotReady",
        "Referenced \"" + ref.kind + "\" \"" + ref.name +
            "\" does not have a Ready status condition" +
            (in.issuer->ready.reason.empty() ? "" : " (" + in.issuer->ready.reason.str() + ")")};
  }
  return std::nullopt;
}

}  // namespace certmill::controller
