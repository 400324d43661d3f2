// The table from cert-manager's usage strings to X.509 bits and OIDs.
#include "core/pki/key_usage.hpp"

#include <openssl/obj_mac.h>
#include <openssl/objects.h>

namespace certmill::pki {

namespace {

struct Mapping {
  uint16_t bit;
  int nid;
};

Mapping mapping(api::KeyUsage u) {
  using K = api::KeyUsage;
  switch (u) {
    case K::Signing:
    case K::DigitalSignature:
      return {ku_digital_signature, 0};
    case K::ContentCommitment:
      return {ku_content_commitment, 0};
    case K::KeyEncipherment:
      return {ku_key_encipherment, 0};
    case K::KeyAgreement:
      return {ku_key_agreement, 0};
    case K::DataEncipherment:
      return {ku_data_encipherment, 0};
    case K::CertSign:
      return {ku_cert_sign, 0};
    case K::CRLSign:
      return {ku_crl_sign, 0};
    case K::EncipherOnly:
      return {ku_encipher_only, 0};
    case K::DecipherOnly:
      return {ku_decipher_only, 0};
    case K::Any:
      return {0, NID_anyExtendedKeyUsage};
    case K::ServerAuth:
      return {0, NID_server_auth};
    case K::ClientAuth:
      return {0, NID_client_auth};
    case K::CodeSigning:
      return {0, NID_code_sign};
    case K::EmailProtection:
    case K::SMIME:
      return {0, NID_email_protect};
    case K::IPsecEndSystem:
      return {0, NID_ipsecEndSystem};
    case K::IPsecTunnel:
      return {0, NID_ipsecTunnel};
    case K::IPsecUser:
      return {0, NID_ipsecUser};
    case K::Timestamping:
      return {0, NID_time_stamp};
    case K::OCSPSigning:
      return {0, NID_OCSP_sign};
    case K::MicrosoftSGC:
      return {0, NID_ms_sgc};
    case K::NetscapeSGC:
      return {0, NID_ns_sgc};
  }
  return {0, 0};
}

}  // namespace

Usages resolve_usages(const std::vector<api::KeyUsage>& usages, bool is_ca) {
  static const std::vector<api::KeyUsage> defaults{api::KeyUsage::DigitalSignature,
                                                   api::KeyUsage::KeyEncipherment};
  Usages out;
  if (is_ca)
    out.key_usage |= ku_cert_sign;
  for (api::KeyUsage u : usages.empty() ? defaults : usages) {
    const Mapping m = mapping(u);
    out.key_usage |= m.bit;
    if (m.nid != 0)
      out.extended.push_back(m.nid);
  }
  return out;
}

std::vector<std::string> key_usage_names(uint16_t key_usage) {
  static const char* const names[] = {"Digital Signature", "Non Repudiation", "Key Encipherment",
                                      "Data Encipherment", "Key Agreement",   "Certificate Sign",
                                      "CRL Sign",          "Encipher Only",   "Decipher Only"};
  std::vector<std::string> out;
  for (int bit = 0; bit < 9; ++bit)
    if (key_usage & (1u << bit))
      out.emplace_back(names[bit]);
  return out;
}

std::string extended_usage_name(int nid) {
  const char* name = OBJ_nid2ln(nid);
  return name != nullptr ? name : "unknown";
}

}  // namespace certmill::pki
