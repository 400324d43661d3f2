// The trials' verdict on a target Secret, by OpenSSL's own calls rather
// than certmill's PKI code (a bug shared with the controller would agree
// with itself): whole (tls.crt and tls.key present and not empty, ca.crt
// too when the issuer is a CA), tls.key the key of tls.crt's leaf, the
// leaf's DNS names exactly the spec's, and the chain in tls.crt leading to
// the issuer's root (ca.crt, when not empty, is that root). Header-only.
#pragma once

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "core/base64.hpp"

namespace certmill::test {

struct SecretExpectation {
  std::vector<std::string> dns_names;
  std::string root_pem;  // the issuer's root
  bool ca_crt_required = false;
};

namespace tls_check {

using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;
using X509Ptr = std::unique_ptr<X509, decltype(&X509_free)>;

inline std::vector<X509Ptr> certificates(const std::string& pem) {
  std::vector<X509Ptr> out;
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr))
    out.emplace_back(cert, X509_free);
  return out;
}

inline std::vector<std::string> dns_names(X509* cert) {
  std::vector<std::string> names;
  auto* sans =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; sans && i < sk_GENERAL_NAME_num(sans); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(sans, i);
    if (name->type == GEN_DNS)
      names.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(name->d.dNSName)),
                         static_cast<std::size_t>(ASN1_STRING_length(name->d.dNSName)));
  }
  GENERAL_NAMES_free(sans);
  std::sort(names.begin(), names.end());
  return names;
}

// Whether `chain`'s leaf verifies up to `root`, the rest of `chain` untrusted.
inline bool chains_to(const std::vector<X509Ptr>& chain, X509* root) {
  std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(), X509_STORE_free);
  // sk_X509_free is a macro: it has no address to give unique_ptr.
  const auto stack_free = [](STACK_OF(X509) * stack) { sk_X509_free(stack); };
  std::unique_ptr<STACK_OF(X509), decltype(stack_free)> untrusted(sk_X509_new_null(), stack_free);
  std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> context(X509_STORE_CTX_new(),
                                                                          X509_STORE_CTX_free);
  X509_STORE_add_cert(store.get(), root);
  for (std::size_t i = 1; i < chain.size(); ++i)
    sk_X509_push(untrusted.get(), chain[i].get());
  return X509_STORE_CTX_init(context.get(), store.get(), chain.front().get(), untrusted.get()) ==
             1 &&
         X509_verify_cert(context.get()) == 1;
}

inline std::string data(const boost::json::object& secret, const char* key) {
  const auto* d = secret.if_contains("data");
  const auto* value = d && d->is_object() ? d->as_object().if_contains(key) : nullptr;
  if (!value || !value->is_string())
    return {};
  auto decoded = base64_decode(value->as_string());
  return decoded ? *decoded : std::string();
}

}  // namespace tls_check

// What is wrong with `secret` against `expected`; empty when nothing is.
inline std::vector<std::string> secret_problems(const boost::json::object& secret,
                                                const SecretExpectation& expected) {
  using namespace tls_check;
  const std::string crt = data(secret, "tls.crt");
  const std::string key_pem = data(secret, "tls.key");
  const std::string ca = data(secret, "ca.crt");
  if (crt.empty() || key_pem.empty() || (expected.ca_crt_required && ca.empty()))
    return {"half-written: tls.crt " + std::to_string(crt.size()) + " bytes, tls.key " +
            std::to_string(key_pem.size()) + ", ca.crt " + std::to_string(ca.size())};
  const auto chain = certificates(crt);
  Bio key_bio(BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size())), BIO_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
  if (chain.empty() || !key)
    return {"tls.crt or tls.key does not parse"};
  std::vector<std::string> problems;
  if (X509_check_private_key(chain.front().get(), key.get()) != 1)
    problems.push_back("tls.key is not the key of tls.crt");
  std::vector<std::string> wanted = expected.dns_names;
  std::sort(wanted.begin(), wanted.end());
  if (dns_names(chain.front().get()) != wanted)
    problems.push_back("tls.crt's DNS names are not the spec's");
  const auto roots = certificates(expected.root_pem);
  if (roots.empty() || !chains_to(chain, roots.front().get()))
    problems.push_back("tls.crt does not chain to the issuer's root");
  const auto ca_certs = certificates(ca);
  if (!ca.empty() &&
      (ca_certs.empty() || roots.empty() || X509_cmp(ca_certs.front().get(), roots.front().get())))
    problems.push_back("ca.crt is not the issuer's root");
  return problems;
}

}  // namespace certmill::test
