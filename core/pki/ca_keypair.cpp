// CA key pair validation, each failure naming the Secret and the cause.
#include "core/pki/ca_keypair.hpp"

#include "core/pki/chain.hpp"
#include "core/pki/key_usage.hpp"

namespace certmill::pki {

Result<CaKeyPair> load_ca_key_pair(std::string_view tls_crt, std::string_view tls_key, Time now,
                                   std::string_view secret) {
  const std::string where = "CA Secret " + std::string(secret);
  if (tls_crt.empty())
    return Error(Errc::missing_field, where + " has no tls.crt");
  if (tls_key.empty())
    return Error(Errc::missing_field, where + " has no tls.key");
  auto certs = parse_certificates(tls_crt, where + " tls.crt");
  if (!certs)
    return certs.error();
  auto key = parse_private_key(tls_key, where + " tls.key");
  if (!key)
    return key.error();
  const Certificate& signer = certs->front();
  if (!key_matches_certificate(*key, signer))
    return Error(Errc::invalid_value, where +
                                          ": tls.key does not match the certificate in tls.crt (" +
                                          signer.info().subject_text + ")");
  if (!signer.info().is_ca)
    return Error(Errc::invalid_value, where + ": the certificate in tls.crt (" +
                                          signer.info().subject_text +
                                          ") is not a CA (basicConstraints CA is false)");
  if (signer.info().key_usage != 0 && (signer.info().key_usage & ku_cert_sign) == 0)
    return Error(Errc::invalid_value, where + ": the certificate in tls.crt (" +
                                          signer.info().subject_text +
                                          ") does not allow certificate signing (key usage)");
  // Ordered once here, so signing can append the chain without re-verifying it.
  auto ordered = order_chain(*certs);
  if (!ordered)
    return Error(ordered.error().code(), where + " tls.crt: " + ordered.error().message());
  if (ordered->front().der() != signer.der())
    return Error(Errc::invalid_value,
                 where +
                     " tls.crt: the first certificate must be the CA that signs (the one "
                     "matching tls.key), followed by its issuers");
  CaKeyPair ca{std::move(*ordered), std::move(*key), std::string(secret)};
  if (Status st = check_ca_validity(ca, now); !st)
    return st.error();
  return ca;
}

Status check_ca_validity(const CaKeyPair& ca, Time now) {
  const CertificateInfo& info = ca.chain.front().info();
  const std::string where = "CA Secret " + ca.secret;
  if (now >= info.not_after)
    return Error(Errc::invalid_value, where + ": the CA certificate (" + info.subject_text +
                                          ") expired at " + format_time(info.not_after));
  if (now < info.not_before)
    return Error(Errc::invalid_value, where + ": the CA certificate (" + info.subject_text +
                                          ") is not valid before " + format_time(info.not_before));
  return {};
}

}  // namespace certmill::pki
