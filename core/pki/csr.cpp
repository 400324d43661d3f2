// PKCS#10 through OpenSSL's X509_REQ.
#include "core/pki/csr.hpp"

#include <openssl/pem.h>

#include "core/pki/pem.hpp"

namespace certmill::pki {

DistinguishedName requested_name(const api::CertificateSpec& spec) {
  return {spec.common_name, spec.subject.value_or(api::X509Subject{})};
}

SubjectAltNames requested_sans(const api::CertificateSpec& spec) {
  return {spec.dns_names, spec.email_addresses, spec.ip_addresses, spec.uris, spec.other_names};
}

Result<std::string> build_csr(const api::CertificateSpec& spec, const PrivateKey& key) {
  const SubjectAltNames sans = requested_sans(spec);
  Result<NamePtr> name = spec.literal_subject.empty() ? build_name(requested_name(spec))
                                                      : parse_literal_subject(spec.literal_subject);
  if (!name)
    return Error(name.error().code(), spec.literal_subject.empty()
                                          ? "spec.subject: " + name.error().message()
                                          : name.error().message());
  if (read_name(name->get()).common_name.empty() && sans.empty())
    return Error(Errc::invalid_value,
                 "spec: at least one of commonName (or a CN in literalSubject), dnsNames, "
                 "emailAddresses, ipAddresses, uris or otherNames must be set");

  ExtensionStackPtr exts(sk_X509_EXTENSION_new_null());
  if (!sans.empty()) {
    auto names = build_general_names(sans);
    if (!names)
      return Error(names.error().code(), "spec: " + names.error().message());
    const bool subject_empty = X509_NAME_entry_count(name->get()) == 0;
    if (!push_extension(exts.get(), subject_alt_name_extension(names->get(), subject_empty)))
      return ossl_error(Errc::invalid_value, "cannot encode the subject alternative names");
  }
  if (spec.name_constraints) {
    auto constraints = name_constraints_extension(*spec.name_constraints);
    if (!constraints)
      return constraints.error();
    if (!push_extension(exts.get(), *constraints))
      return ossl_error(Errc::invalid_value, "cannot encode the name constraints");
  }
  if (spec.encode_usages_in_request.value_or(true)) {
    const Usages usages = resolve_usages(spec.usages, spec.is_ca);
    if (usages.key_usage != 0 && !push_extension(exts.get(), key_usage_extension(usages.key_usage)))
      return ossl_error(Errc::invalid_value, "cannot encode the key usages");
    if (!usages.extended.empty() &&
        !push_extension(exts.get(), extended_key_usage_extension(usages.extended)))
      return ossl_error(Errc::invalid_value, "cannot encode the extended key usages");
  }

  auto digest = requested_signature_digest(spec.signature_algorithm, key.get());
  if (!digest)
    return digest.error();
  ReqPtr req(X509_REQ_new());
  if (X509_REQ_set_version(req.get(), 0) != 1 ||
      X509_REQ_set_subject_name(req.get(), name->get()) != 1 ||
      X509_REQ_set_pubkey(req.get(), key.get()) != 1 ||
      (sk_X509_EXTENSION_num(exts.get()) > 0 &&
       X509_REQ_add_extensions(req.get(), exts.get()) != 1) ||
      X509_REQ_sign(req.get(), key.get(), *digest) <= 0)
    return ossl_error(Errc::invalid_value, "cannot sign the certificate request");

  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509_REQ(bio.get(), req.get());
  return bio_contents(bio.get());
}

Result<ParsedCsr> read_csr(std::string_view pem) {
  auto blocks = pem_decode(pem, "the certificate request");
  if (!blocks)
    return blocks.error();
  for (const PemBlock& block : *blocks) {
    if (block.type != "CERTIFICATE REQUEST" && block.type != "NEW CERTIFICATE REQUEST")
      continue;
    const auto* p = reinterpret_cast<const unsigned char*>(block.der.data());
    ReqPtr req(d2i_X509_REQ(nullptr, &p, static_cast<long>(block.der.size())));
    if (!req)
      return ossl_error(Errc::invalid_value, "the certificate request does not decode");
    if (X509_REQ_get0_pubkey(req.get()) == nullptr)
      return ossl_error(Errc::invalid_value,
                        "the certificate request's public key does not decode");
    ParsedCsr out{std::move(req), {}, {}};
    out.subject = read_name(X509_REQ_get_subject_name(out.req.get()));
    ExtensionStackPtr exts(X509_REQ_get_extensions(out.req.get()));
    out.extensions = summarize(exts.get());
    return out;
  }
  return Error(Errc::invalid_value, "the certificate request holds no CERTIFICATE REQUEST block");
}

Result<ParsedCsr> parse_csr(std::string_view pem) {
  auto csr = read_csr(pem);
  if (!csr)
    return csr;
  if (X509_REQ_verify(csr->req.get(), X509_REQ_get0_pubkey(csr->req.get())) != 1)
    return ossl_error(Errc::invalid_value,
                      "the certificate request's signature does not verify with its own key");
  return csr;
}

}  // namespace certmill::pki
