// The checks, in cert-manager's order.
#include "controller/certificate_checks.hpp"

#include <algorithm>

#include "controller/digest.hpp"
#include "controller/go_format.hpp"
#include "core/pki/renewal.hpp"
#include "core/pki/renewal_windows.hpp"

namespace certmill::controller {

namespace {

using V = std::optional<Verdict>;

V secret_key_pair(const SecretView* secret) {
  if (!secret)
    return Verdict{"DoesNotExist", "Issuing certificate as Secret does not exist"};
  switch (secret->state) {
    case KeyPairState::NoData:
      return Verdict{"MissingData", "Issuing certificate as Secret does not contain any data"};
    case KeyPairState::MissingKey:
      return Verdict{"MissingData", "Issuing certificate as Secret does not contain a private key"};
    case KeyPairState::MissingCert:
      return Verdict{"MissingData", "Issuing certificate as Secret does not contain a certificate"};
    case KeyPairState::InvalidKey:
      return Verdict{"InvalidKeyPair",
                     "Issuing certificate as Secret contains invalid private key data: " +
                         secret->rare.get().parse_error};
    case KeyPairState::InvalidCert:
      return Verdict{"InvalidCertificate",
                     "Issuing certificate as Secret contains an invalid certificate: " +
                         secret->rare.get().parse_error};
    case KeyPairState::KeyMismatch:
      return Verdict{"InvalidKeyPair",
                     "Issuing certificate as Secret contains a private key that does not match "
                     "the certificate"};
    case KeyPairState::Valid:
      break;
  }
  return std::nullopt;
}

std::vector<std::string> request_mismatches(const CertificateView& crt, const RequestView& req) {
  std::vector<std::string> out = spec_mismatches(crt.want, *req.asks);
  if (req.duration && crt.duration && *req.duration != *crt.duration)
    out.emplace_back("spec.duration");
  if (!(with_defaults(req.issuer_ref) == with_defaults(crt.issuer_ref)))
    out.emplace_back("spec.issuerRef");
  return out;
}

// Without the request, only the names are compared: issuers may add usages or
// rewrite the subject (cert-manager's FuzzyX509AltNamesMatchSpec fallback).
std::vector<std::string> secret_name_mismatches(const CertificateView& crt,
                                                const IssuedFacts& cert) {
  std::vector<std::string> out;
  for (SpecField f : {SpecField::CommonName, SpecField::DnsNames, SpecField::IpAddresses,
                      SpecField::Uris, SpecField::EmailAddresses}) {
    // An issuer may fill in a commonName nobody asked for (ACME CAs use the first name).
    const bool unasked_common_name =
        f == SpecField::CommonName &&
        (crt.want.literal_subject ||
         crt.want[f] == SpecDigests::fold(digest_of(std::string_view())));
    if (!unasked_common_name && crt.want[f] != cert.have[f])
      out.emplace_back(spec_field_name(f));
  }
  return out;
}

V request_or_secret_changed(const CheckInput& in) {
  if (in.current_request) {
    // A request that does not decode says nothing: the Secret may still be fine.
    if (!in.current_request->asks)
      return std::nullopt;
    const auto fields = request_mismatches(in.certificate, *in.current_request);
    if (!fields.empty())
      return Verdict{
          "RequestChanged",
          "Fields on existing CertificateRequest resource not up to date: " + go_list(fields)};
    return std::nullopt;
  }
  const auto fields = secret_name_mismatches(in.certificate, *in.secret->cert);
  if (!fields.empty())
    return Verdict{"SecretMismatch",
                   "Issuing certificate as Existing issued Secret is not up to date for spec: " +
                       go_list(fields)};
  return std::nullopt;
}

V private_key_mismatch(const CertificateView& crt, const SecretView& secret) {
  if (!crt.key)
    return std::nullopt;
  std::vector<std::string> fields;
  if (secret.key_algorithm != crt.key->algorithm) {
    fields.emplace_back("spec.privateKey.algorithm");
  } else if (crt.key->algorithm != api::PrivateKeyAlgorithm::Ed25519 &&
             secret.key_bits != crt.key->bits) {
    fields.emplace_back("spec.privateKey.size");
  }
  if (fields.empty())
    return std::nullopt;
  return Verdict{"SecretMismatch",
                 "Existing private key is not up to date for spec: " + go_list(fields)};
}

std::string issuer_ref_text(const std::string& name, const std::string& kind,
                            const std::string& group) {
  return (kind.empty() ? "Issuer" : kind) + "." + (group.empty() ? "cert-manager.io" : group) +
         "/" + name;
}

V issuer_annotations_mismatch(const CertificateView& crt, const SecretView& secret) {
  if (!secret.issuer_name && !secret.issuer_kind && !secret.issuer_group)
    return std::nullopt;
  const api::IssuerRef seen = with_defaults(api::IssuerRef{
      secret.issuer_name.value_or(""), secret.issuer_kind.str(), secret.issuer_group.str()});
  if (seen == with_defaults(crt.issuer_ref))
    return std::nullopt;
  return Verdict{"IncorrectIssuer", "Issuing certificate as Secret was previously issued by \"" +
                                        issuer_ref_text(seen.name, seen.kind, seen.group) + "\""};
}

V certificate_name_mismatch(const CertificateView& crt, const SecretView& secret) {
  if (!secret.certificate_name || *secret.certificate_name == crt.name)
    return std::nullopt;
  return Verdict{"IncorrectCertificate",
                 "Secret was issued for \"" + *secret.certificate_name +
                     "\". If this message is not transient, you might have two conflicting "
                     "Certificates pointing to the same secret."};
}

V request_key_mismatch(const CheckInput& in) {
  const RequestView* req = in.current_request;
  if (!req)
    return std::nullopt;
  if (!req->asks)
    return Verdict{"InvalidCertificateRequest",
                   "Failed to decode current CertificateRequest: " + req->csr_error.get()};
  if (req->public_key_digest != in.secret->public_key_digest)
    return Verdict{"SecretMismatch",
                   "Secret contains a private key that does not match the current "
                   "CertificateRequest"};
  return std::nullopt;
}

// Every template entry present with its value; extra metadata is the user's.
bool template_applied(const CertificateView& crt, const SecretView& secret,
                      std::string_view prefix) {
  for (const auto& entry : crt.rare.get().secret_template) {
    if (entry.first.rfind(prefix, 0) == 0 &&
        !std::binary_search(secret.rare.get().metadata.begin(), secret.rare.get().metadata.end(),
                            entry))
      return false;
  }
  return true;
}

}  // namespace

std::optional<Verdict> secret_data_violation(const CertificateView& crt, const SecretView& secret,
                                             bool owner_ref) {
  if (!secret.fao_label)
    return Verdict{"SecretManagedMetadataMismatch",
                   "Secret is missing these Managed Labels: [controller.cert-manager.io/fao]"};
  if (*secret.fao_label != "true")
    return Verdict{"SecretManagedMetadataMismatch",
                   "wrong base label controller.cert-manager.io/fao value \"" + *secret.fao_label +
                       "\", expected \"true\""};
  if (!template_applied(crt, secret, "annotation:"))
    return Verdict{"SecretTemplateMismatch",
                   "Certificate's SecretTemplate Annotations missing or incorrect value on Secret"};
  if (!template_applied(crt, secret, "label:"))
    return Verdict{"SecretTemplateMismatch",
                   "Certificate's SecretTemplate Labels missing or incorrect value on Secret"};
  if ((crt.wants_combined_pem && !secret.combined_pem_matches) ||
      (crt.wants_der && !secret.der_matches))
    return Verdict{"AdditionalOutputFormatsMismatch",
                   "Certificate's AdditionalOutputFormats doesn't match Secret Data"};
  if (owner_ref && secret.certificate_owner != crt.uid)
    return Verdict{"SecretOwnerRefMismatch",
                   "unexpected Secret Owner Reference value on Secret "
                   "--enable-certificate-owner-ref=true"};
  return std::nullopt;
}

std::optional<ScheduledRenewal> secret_renewal(const CertificateView& crt, const SecretView* secret,
                                               std::optional<Time> suggested) {
  if (!secret || !secret->cert || crt.renewal_disabled)
    return std::nullopt;
  const IssuedFacts& cert = *secret->cert;
  // A CA that advises renewing every certificate at once would otherwise
  // have each new one replaced as soon as it is issued: a renewal loop.
  const Time desired = suggested
                           ? std::max(*suggested, cert.not_before + kMinimumAgeBeforeAdvisedRenewal)
                           : pki::renewal_time(cert.not_before, cert.not_after, crt.renew_before,
                                               crt.renew_before_percentage);
  const auto& windows = crt.rare.get().renewal_windows;
  if (!windows)
    return ScheduledRenewal{desired};
  if (auto at = pki::first_window_time(desired, cert.not_after, *windows))
    return ScheduledRenewal{*at};
  return ScheduledRenewal{desired, true};
}

std::optional<Time> secret_renewal_time(const CertificateView& crt, const SecretView* secret,
                                        std::optional<Time> suggested) {
  const auto renewal = secret_renewal(crt, secret, suggested);
  return renewal ? std::optional<Time>(renewal->at) : std::nullopt;
}

std::optional<Verdict> readiness_violation(const CheckInput& in) {
  if (V v = secret_key_pair(in.secret))
    return v;
  if (V v = request_or_secret_changed(in))
    return v;
  if (in.now > in.secret->cert->not_after)
    return Verdict{"Expired", "Certificate expired on " + go_rfc1123(in.secret->cert->not_after)};
  return std::nullopt;
}

std::optional<Verdict> trigger_violation(const CheckInput& in) {
  if (V v = secret_key_pair(in.secret))
    return v;
  const SecretView& secret = *in.secret;
  if (V v = private_key_mismatch(in.certificate, secret))
    return v;
  if (V v = issuer_annotations_mismatch(in.certificate, secret))
    return v;
  if (V v = certificate_name_mismatch(in.certificate, secret))
    return v;
  if (V v = request_key_mismatch(in))
    return v;
  if (V v = request_or_secret_changed(in))
    return v;
  // spec.renewal.policy Disabled: no renewal time, so time never triggers.
  const auto renew_at = secret_renewal_time(in.certificate, in.secret, in.suggested_renewal);
  if (renew_at && *renew_at <= in.now) {
    // cert-manager quotes status.renewalTime, which the readiness side keeps
    // equal to the computed time.
    return Verdict{"Renewing", "Renewing certificate as renewal was scheduled at " +
                                   go_time_string(in.certificate.renewal_time.value_or(*renew_at))};
  }
  return std::nullopt;
}

}  // namespace certmill::controller
