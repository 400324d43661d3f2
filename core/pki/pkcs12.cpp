// PKCS#12 through PKCS12_create_ex. RC2-40, which LegacyRC2 uses for the
// certificate bag, lives in OpenSSL 3's legacy provider: it is loaded into a
// private library context so the rest of the process keeps the default one.
#include "core/pki/pkcs12.hpp"

#include <openssl/provider.h>

namespace certmill::pki {

namespace {

struct Parameters {
  int key_pbe;
  int cert_pbe;
  int iterations;
  const EVP_MD* mac_digest;
  int mac_iterations;
};

Parameters parameters(Pkcs12Profile profile) {
  switch (profile) {
    case Pkcs12Profile::LegacyDES:
      return {NID_pbe_WithSHA1And3_Key_TripleDES_CBC, NID_pbe_WithSHA1And3_Key_TripleDES_CBC, 2048,
              EVP_sha1(), 1};
    case Pkcs12Profile::Modern2023:
      return {NID_aes_256_cbc, NID_aes_256_cbc, 2048, EVP_sha256(), 2048};
    case Pkcs12Profile::LegacyRC2:
      break;
  }
  return {NID_pbe_WithSHA1And3_Key_TripleDES_CBC, NID_pbe_WithSHA1And40BitRC2_CBC, 2048, EVP_sha1(),
          1};
}

// A library context with the legacy and default providers, or nullptr when
// the legacy provider is not installed.
OSSL_LIB_CTX* legacy_context() {
  static OSSL_LIB_CTX* const ctx = [] {
    OSSL_LIB_CTX* c = OSSL_LIB_CTX_new();
    if (c != nullptr && OSSL_PROVIDER_load(c, "legacy") != nullptr &&
        OSSL_PROVIDER_load(c, "default") != nullptr)
      return c;
    OSSL_LIB_CTX_free(c);
    ossl_clear_errors();
    return static_cast<OSSL_LIB_CTX*>(nullptr);
  }();
  return ctx;
}

X509StackPtr stack_of(const std::vector<Certificate>& certs) {
  X509StackPtr stack(sk_X509_new_null());
  for (const Certificate& c : certs) {
    X509_up_ref(c.get());
    sk_X509_push(stack.get(), c.get());
  }
  return stack;
}

Result<std::string> create(EVP_PKEY* key, X509* cert, STACK_OF(X509) * cas,
                           const std::string& password, Pkcs12Profile profile) {
  const Parameters p = parameters(profile);
  OSSL_LIB_CTX* ctx = nullptr;
  if (profile == Pkcs12Profile::LegacyRC2) {
    ctx = legacy_context();
    if (ctx == nullptr)
      return Error(Errc::invalid_value,
                   "PKCS#12 profile LegacyRC2 needs OpenSSL's legacy provider (RC2), which is not "
                   "installed; choose LegacyDES or Modern2023");
  }
  // The MAC is added separately so Modern2023 can use SHA-256 for it.
  Pkcs12Ptr p12(PKCS12_create_ex(password.c_str(), nullptr, key, cert, cas, p.key_pbe, p.cert_pbe,
                                 p.iterations, -1, 0, ctx, nullptr));
  if (!p12 || PKCS12_set_mac(p12.get(), password.c_str(), -1, nullptr, 0, p.mac_iterations,
                             p.mac_digest) != 1)
    return ossl_error(Errc::invalid_value, "cannot build the PKCS#12 keystore");
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (i2d_PKCS12_bio(bio.get(), p12.get()) != 1)
    return ossl_error(Errc::invalid_value, "cannot encode the PKCS#12 keystore");
  return bio_contents(bio.get());
}

}  // namespace

Result<Pkcs12Profile> pkcs12_profile(std::string_view name) {
  if (name.empty() || name == "LegacyRC2")
    return Pkcs12Profile::LegacyRC2;
  if (name == "LegacyDES")
    return Pkcs12Profile::LegacyDES;
  if (name == "Modern2023")
    return Pkcs12Profile::Modern2023;
  return Error(Errc::invalid_value, "spec.keystores.pkcs12.profile: \"" + std::string(name) +
                                        "\" is not LegacyRC2, LegacyDES or Modern2023");
}

Result<std::string> pkcs12_keystore(const PrivateKey& key, const std::vector<Certificate>& chain,
                                    const std::vector<Certificate>& cas,
                                    const std::string& password, Pkcs12Profile profile) {
  if (chain.empty())
    return Error(Errc::invalid_value, "a PKCS#12 keystore needs a certificate");
  std::vector<Certificate> others(chain.begin() + 1, chain.end());
  others.insert(others.end(), cas.begin(), cas.end());
  X509StackPtr stack = stack_of(others);
  return create(key.get(), chain.front().get(), stack.get(), password, profile);
}

Result<std::string> pkcs12_truststore(const std::vector<Certificate>& cas,
                                      const std::string& password, Pkcs12Profile profile) {
  if (cas.empty())
    return Error(Errc::invalid_value, "a PKCS#12 truststore needs a CA certificate");
  X509StackPtr stack = stack_of(cas);
  return create(nullptr, nullptr, stack.get(), password, profile);
}

}  // namespace certmill::pki
