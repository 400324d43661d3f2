// Certificate templates from CSRs and signing, through OpenSSL's X509 setters.
#include "core/pki/sign.hpp"

#include <algorithm>

#include <openssl/rand.h>

#include "core/pki/csr.hpp"
#include "core/pki/extensions.hpp"

namespace certmill::pki {

namespace {

std::string usage_list(uint16_t ku, const std::vector<int>& eku) {
  std::string out;
  for (const std::string& n : key_usage_names(ku))
    out += (out.empty() ? "" : ", ") + n;
  for (int nid : eku)
    out += (out.empty() ? "" : ", ") + extended_usage_name(nid);
  return "[" + out + "]";
}

// cert-manager checks that usages and basic constraints the CSR encodes agree
// with the request, then uses the request's.
Status check_csr_agrees(const ExtensionSummary& csr, const Usages& usages, bool is_ca) {
  if (csr.key_usage || csr.extended_key_usage) {
    const uint16_t ku = csr.key_usage.value_or(0);
    const std::vector<int> eku = csr.extended_key_usage.value_or(std::vector<int>{});
    if (ku != usages.key_usage || eku != usages.extended)
      return Error(Errc::invalid_value, "the CSR encodes usages " + usage_list(ku, eku) +
                                            " but the request asks for " +
                                            usage_list(usages.key_usage, usages.extended));
  }
  if (csr.is_ca && *csr.is_ca != is_ca)
    return Error(Errc::invalid_value,
                 std::string("the CSR encodes isCA ") + (*csr.is_ca ? "true" : "false") +
                     " but the request asks for " + (is_ca ? "true" : "false"));
  return {};
}

Status set_random_serial(X509* x) {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1)
    return ossl_error(Errc::invalid_value, "cannot draw a serial number");
  BnPtr bn(BN_bin2bn(bytes, sizeof bytes, nullptr));
  Asn1IntPtr serial(BN_to_ASN1_INTEGER(bn.get(), nullptr));
  if (!serial || X509_set_serialNumber(x, serial.get()) != 1)
    return ossl_error(Errc::invalid_value, "cannot set the serial number");
  return {};
}

struct Signer {
  const X509_NAME* name;
  EVP_PKEY* key;
  std::string key_id;  // the signer's subject key identifier, if any
  std::optional<Time> not_after_cap;
};

Result<Certificate> issue(const SigningRequest& request, const ParsedCsr& csr, const Signer& signer,
                          const IssuerUrls& urls) {
  const Usages usages = resolve_usages(request.usages, request.is_ca);
  if (Status st = check_csr_agrees(csr.extensions, usages, request.is_ca); !st)
    return st.error();
  const Duration duration = request.duration.value_or(default_certificate_duration);
  Time not_after = request.now + std::chrono::floor<std::chrono::seconds>(duration);
  if (signer.not_after_cap)
    not_after = std::min(not_after, *signer.not_after_cap);

  X509Ptr x(X509_new());
  X509* cert = x.get();
  const X509_NAME* subject = X509_REQ_get_subject_name(csr.req.get());
  EVP_PKEY* public_key = X509_REQ_get0_pubkey(csr.req.get());
  if (X509_set_version(cert, 2) != 1 || !set_random_serial(cert).ok() ||
      X509_set_subject_name(cert, subject) != 1 || X509_set_issuer_name(cert, signer.name) != 1 ||
      X509_set_pubkey(cert, public_key) != 1 ||
      ASN1_TIME_set(X509_getm_notBefore(cert), request.now.time_since_epoch().count()) == nullptr ||
      ASN1_TIME_set(X509_getm_notAfter(cert), not_after.time_since_epoch().count()) == nullptr)
    return ossl_error(Errc::invalid_value, "cannot fill in the certificate");

  ExtensionStackPtr exts(sk_X509_EXTENSION_new_null());
  bool ok = true;
  if (usages.key_usage != 0)
    ok = ok && push_extension(exts.get(), key_usage_extension(usages.key_usage));
  if (!usages.extended.empty())
    ok = ok && push_extension(exts.get(), extended_key_usage_extension(usages.extended));
  ok = ok && push_extension(exts.get(), basic_constraints_extension(request.is_ca));
  if (request.is_ca)
    ok = ok && push_extension(exts.get(),
                              subject_key_id_extension(key_identifier(X509_get_X509_PUBKEY(cert))));
  if (X509_NAME_cmp(subject, signer.name) != 0 && !signer.key_id.empty())
    ok = ok && push_extension(exts.get(), authority_key_id_extension(signer.key_id));
  if (!urls.ocsp_servers.empty() || !urls.issuing_certificate_urls.empty())
    ok = ok && push_extension(exts.get(), authority_info_access_extension(
                                              urls.ocsp_servers, urls.issuing_certificate_urls));
  if (!urls.crl_distribution_points.empty())
    ok = ok && push_extension(exts.get(),
                              crl_distribution_points_extension(urls.crl_distribution_points));
  if (!csr.extensions.sans.empty()) {
    auto names = build_general_names(csr.extensions.sans);
    if (!names)
      return Error(names.error().code(), "the CSR's names: " + names.error().message());
    ok = ok && push_extension(exts.get(), subject_alt_name_extension(
                                              names->get(), X509_NAME_entry_count(subject) == 0));
  }
  for (int i = 0; ok && i < sk_X509_EXTENSION_num(exts.get()); ++i)
    ok = X509_add_ext(cert, sk_X509_EXTENSION_value(exts.get(), i), -1) == 1;
  // A CA's name constraints as the request encodes them (cert-manager's
  // signers take them from the CSR); a leaf's are not a CA's to carry.
  if (ok && request.is_ca) {
    ExtensionStackPtr requested(X509_REQ_get_extensions(csr.req.get()));
    for (int i = 0; ok && requested && i < sk_X509_EXTENSION_num(requested.get()); ++i) {
      X509_EXTENSION* ext = sk_X509_EXTENSION_value(requested.get(), i);
      if (OBJ_obj2nid(X509_EXTENSION_get_object(ext)) == NID_name_constraints)
        ok = X509_add_ext(cert, ext, -1) == 1;
    }
  }
  if (!ok)
    return ossl_error(Errc::invalid_value, "cannot add the certificate's extensions");
  if (X509_sign(cert, signer.key, signature_digest(signer.key)) <= 0)
    return ossl_error(Errc::invalid_value, "cannot sign the certificate");
  return Certificate(std::move(x));
}

}  // namespace

Result<PemBundle> sign_self_signed(const SigningRequest& request, const PrivateKey& key,
                                   const IssuerUrls& urls) {
  auto csr = parse_csr(request.csr_pem);
  if (!csr)
    return csr.error();
  if (!public_keys_equal(X509_REQ_get0_pubkey(csr->req.get()), key.get()))
    return Error(Errc::invalid_value,
                 "the CSR's public key does not match the private key it should be self-signed "
                 "with");
  const IssuerUrls self_urls{urls.crl_distribution_points, {}, {}};
  auto cert = issue(request, *csr,
                    Signer{X509_REQ_get_subject_name(csr->req.get()), key.get(), {}, std::nullopt},
                    self_urls);
  if (!cert)
    return cert.error();
  const std::string pem = cert->pem();
  return PemBundle{pem, pem};
}

Result<PemBundle> sign_with_ca(const SigningRequest& request, const CaKeyPair& ca,
                               const IssuerUrls& urls) {
  if (Status st = check_ca_validity(ca, request.now); !st)
    return st.error();
  auto csr = parse_csr(request.csr_pem);
  if (!csr)
    return csr.error();
  const Certificate& signer = ca.chain.front();
  Time cap = signer.info().not_after;
  for (const Certificate& c : ca.chain)
    cap = std::min(cap, c.info().not_after);
  auto cert = issue(
      request, *csr,
      Signer{X509_get_subject_name(signer.get()), ca.key.get(), signer.info().subject_key_id, cap},
      urls);
  if (!cert)
    return cert.error();
  // The CA chain was ordered when loaded: cert-manager's chain rules
  // (chain.hpp) reduce to appending it, without a self-signed root.
  PemBundle bundle{cert->pem(), ca.chain.back().pem()};
  for (const Certificate& c : ca.chain)
    if (!c.info().self_signed)
      bundle.chain_pem += c.pem();
  return bundle;
}

}  // namespace certmill::pki
