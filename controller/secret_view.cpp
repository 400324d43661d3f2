// Secret → SecretView, with the key pair parsed once.
#include "controller/secret_view.hpp"

#include <algorithm>

#include "controller/digest.hpp"
#include "core/pki/keys.hpp"
#include "core/pki/pem.hpp"
#include "core/pki/tls_secret.hpp"
#include "core/pki/x509.hpp"

namespace certmill::controller {

namespace {

std::optional<std::string> annotation(api::StringMap& annotations, const char* key) {
  auto it = annotations.find(key);
  if (it == annotations.end())
    return std::nullopt;
  return std::move(it->second);
}

const std::string* data(const api::Secret& s, const char* key) {
  auto it = s.data.find(key);
  return it == s.data.end() || it->second.data.empty() ? nullptr : &it->second.data;
}

void read_key_pair(const api::Secret& secret, SecretView& v) {
  if (secret.data.empty()) {
    v.state = KeyPairState::NoData;
    return;
  }
  const std::string* crt = data(secret, "tls.crt");
  const std::string* key = data(secret, "tls.key");
  v.crt_digest = crt ? digest_of(*crt) : 0;
  v.key_digest = key ? digest_of(*key) : 0;
  if (!key) {
    v.state = KeyPairState::MissingKey;
    return;
  }
  if (!crt) {
    v.state = KeyPairState::MissingCert;
    return;
  }
  auto private_key = pki::parse_private_key(*key, "tls.key");
  auto certs = pki::parse_certificates(*crt, "tls.crt");
  if (certs) {
    v.cert = issued_facts(certs->front().info());
  }
  if (!private_key) {
    v.state = KeyPairState::InvalidKey;
    v.rare.edit().parse_error = private_key.error().message();
    return;
  }
  v.key_algorithm = private_key->algorithm();
  v.key_bits = private_key->bits();
  v.public_key_digest = digest_of(pki::public_key_fingerprint(private_key->get()));
  if (!certs) {
    v.state = KeyPairState::InvalidCert;
    v.rare.edit().parse_error = certs.error().message();
    return;
  }
  v.state = pki::key_matches_certificate(*private_key, certs->front()) ? KeyPairState::Valid
                                                                       : KeyPairState::KeyMismatch;
}

// What tls_secret.cpp writes for additionalOutputFormats.
void read_output_formats(const api::Secret& secret, SecretView& v) {
  const std::string* crt = data(secret, "tls.crt");
  const std::string* key = data(secret, "tls.key");
  const std::string* combined = data(secret, "tls-combined.pem");
  const std::string* der = data(secret, "key.der");
  if (!crt || !key)
    return;
  v.combined_pem_matches = combined && *combined == *key + "\n" + *crt;
  if (der) {
    auto blocks = pki::pem_decode(*key, "tls.key");
    v.der_matches = blocks && !blocks->empty() && blocks->front().der == *der;
  }
}

}  // namespace

SecretView project_secret(api::Secret&& secret) {
  SecretView v;
  v.namespace_ = std::move(secret.metadata.namespace_);
  v.name = std::move(secret.metadata.name);
  v.resource_version = std::move(secret.metadata.resource_version);
  read_key_pair(secret, v);
  read_output_formats(secret, v);
  for (const api::OwnerReference& ref : secret.metadata.owner_references) {
    if (ref.api_version == "cert-manager.io/v1" && ref.kind == "Certificate" &&
        ref.controller == true && ref.block_owner_deletion == true)
      v.certificate_owner = uid_key(ref.uid);
  }
  api::StringMap& a = secret.metadata.annotations;
  v.certificate_name = annotation(a, "cert-manager.io/certificate-name");
  v.issuer_name = annotation(a, "cert-manager.io/issuer-name");
  v.issuer_kind = annotation(a, "cert-manager.io/issuer-kind");
  v.issuer_group = annotation(a, "cert-manager.io/issuer-group");
  for (auto& [key, value] : secret.metadata.labels) {
    if (key == pki::fao_label)
      v.fao_label = value;
    else
      v.rare.edit().metadata.emplace_back("label:" + key, std::move(value));
  }
  for (auto& [key, value] : a) {
    if (key.rfind("cert-manager.io/", 0) != 0)
      v.rare.edit().metadata.emplace_back("annotation:" + key, std::move(value));
  }
  auto& metadata = v.rare.edit().metadata;
  std::sort(metadata.begin(), metadata.end());
  v.rare.shrink();
  return v;
}

}  // namespace certmill::controller
