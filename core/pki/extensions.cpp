// Extension encoding through OpenSSL's X509V3_EXT_i2d.
#include "core/pki/extensions.hpp"

namespace certmill::pki {

namespace {

OctetPtr octets(const std::string& bytes) {
  OctetPtr s(ASN1_OCTET_STRING_new());
  if (s)
    ASN1_OCTET_STRING_set(s.get(), reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  return s;
}

}  // namespace

X509_EXTENSION* key_usage_extension(uint16_t key_usage) {
  BitStringPtr bits(ASN1_BIT_STRING_new());
  for (int bit = 0; bit < 9; ++bit)
    if (key_usage & (1u << bit))
      ASN1_BIT_STRING_set_bit(bits.get(), bit, 1);
  return X509V3_EXT_i2d(NID_key_usage, 1, bits.get());
}

X509_EXTENSION* extended_key_usage_extension(const std::vector<int>& nids) {
  EXTENDED_KEY_USAGE* eku = sk_ASN1_OBJECT_new_null();
  for (int nid : nids)
    sk_ASN1_OBJECT_push(eku, OBJ_nid2obj(nid));
  X509_EXTENSION* ext = X509V3_EXT_i2d(NID_ext_key_usage, 0, eku);
  sk_ASN1_OBJECT_free(eku);  // the objects are OpenSSL's static table entries
  return ext;
}

X509_EXTENSION* basic_constraints_extension(bool is_ca) {
  BasicConstraintsPtr bc(BASIC_CONSTRAINTS_new());
  bc->ca = is_ca ? 0xff : 0;
  return X509V3_EXT_i2d(NID_basic_constraints, 1, bc.get());
}

X509_EXTENSION* subject_alt_name_extension(GENERAL_NAMES* names, bool critical) {
  return X509V3_EXT_i2d(NID_subject_alt_name, critical ? 1 : 0, names);
}

X509_EXTENSION* subject_key_id_extension(const std::string& id) {
  OctetPtr s = octets(id);
  return X509V3_EXT_i2d(NID_subject_key_identifier, 0, s.get());
}

X509_EXTENSION* authority_key_id_extension(const std::string& id) {
  AkidPtr akid(AUTHORITY_KEYID_new());
  akid->keyid = octets(id).release();
  return X509V3_EXT_i2d(NID_authority_key_identifier, 0, akid.get());
}

X509_EXTENSION* authority_info_access_extension(const std::vector<std::string>& ocsp,
                                                const std::vector<std::string>& issuers) {
  AUTHORITY_INFO_ACCESS* aia = sk_ACCESS_DESCRIPTION_new_null();
  const auto add = [&](const std::vector<std::string>& urls, int method) {
    for (const std::string& url : urls) {
      ACCESS_DESCRIPTION* ad = ACCESS_DESCRIPTION_new();
      ASN1_OBJECT_free(ad->method);
      ad->method = OBJ_nid2obj(method);
      GENERAL_NAME_free(ad->location);
      ad->location = new_general_name(GEN_URI, url);
      sk_ACCESS_DESCRIPTION_push(aia, ad);
    }
  };
  add(ocsp, NID_ad_OCSP);
  add(issuers, NID_ad_ca_issuers);
  X509_EXTENSION* ext = X509V3_EXT_i2d(NID_info_access, 0, aia);
  AUTHORITY_INFO_ACCESS_free(aia);
  return ext;
}

X509_EXTENSION* crl_distribution_points_extension(const std::vector<std::string>& urls) {
  CRL_DIST_POINTS* points = sk_DIST_POINT_new_null();
  for (const std::string& url : urls) {
    DIST_POINT* dp = DIST_POINT_new();
    dp->distpoint = DIST_POINT_NAME_new();
    dp->distpoint->type = 0;  // fullName
    dp->distpoint->name.fullname = GENERAL_NAMES_new();
    sk_GENERAL_NAME_push(dp->distpoint->name.fullname, new_general_name(GEN_URI, url));
    sk_DIST_POINT_push(points, dp);
  }
  X509_EXTENSION* ext = X509V3_EXT_i2d(NID_crl_distribution_points, 0, points);
  CRL_DIST_POINTS_free(points);
  return ext;
}

bool push_extension(STACK_OF(X509_EXTENSION) * stack, X509_EXTENSION* ext) {
  if (ext == nullptr)
    return false;
  if (sk_X509_EXTENSION_push(stack, ext) <= 0) {
    X509_EXTENSION_free(ext);
    return false;
  }
  return true;
}

ExtensionSummary summarize(const STACK_OF(X509_EXTENSION) * exts) {
  ExtensionSummary out;
  for (int i = 0; exts != nullptr && i < sk_X509_EXTENSION_num(exts); ++i) {
    X509_EXTENSION* ext = sk_X509_EXTENSION_value(exts, i);
    const int nid = OBJ_obj2nid(X509_EXTENSION_get_object(ext));
    if (nid == NID_name_constraints) {
      out.name_constraints = name_constraints_text(ext);
      continue;
    }
    if (nid != NID_key_usage && nid != NID_ext_key_usage && nid != NID_basic_constraints &&
        nid != NID_subject_alt_name)
      continue;
    void* decoded = X509V3_EXT_d2i(ext);
    if (decoded == nullptr) {
      ossl_clear_errors();
      continue;
    }
    switch (nid) {
      case NID_key_usage: {
        auto* bits = static_cast<ASN1_BIT_STRING*>(decoded);
        uint16_t ku = 0;
        for (int bit = 0; bit < 9; ++bit)
          if (ASN1_BIT_STRING_get_bit(bits, bit))
            ku |= static_cast<uint16_t>(1u << bit);
        out.key_usage = ku;
        ASN1_BIT_STRING_free(bits);
        break;
      }
      case NID_ext_key_usage: {
        auto* eku = static_cast<EXTENDED_KEY_USAGE*>(decoded);
        std::vector<int> nids;
        for (int j = 0; j < sk_ASN1_OBJECT_num(eku); ++j)
          nids.push_back(OBJ_obj2nid(sk_ASN1_OBJECT_value(eku, j)));
        out.extended_key_usage = std::move(nids);
        EXTENDED_KEY_USAGE_free(eku);
        break;
      }
      case NID_basic_constraints: {
        auto* bc = static_cast<BASIC_CONSTRAINTS*>(decoded);
        out.is_ca = bc->ca != 0;
        BASIC_CONSTRAINTS_free(bc);
        break;
      }
      case NID_subject_alt_name: {
        auto* names = static_cast<GENERAL_NAMES*>(decoded);
        out.sans = read_general_names(names);
        out.sans_critical = X509_EXTENSION_get_critical(ext) != 0;
        GENERAL_NAMES_free(names);
        break;
      }
    }
  }
  return out;
}

std::string key_identifier(X509_PUBKEY* key) {
  const unsigned char* bits = nullptr;
  int len = 0;
  X509_PUBKEY_get0_param(nullptr, &bits, &len, nullptr, key);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(bits, static_cast<size_t>(len), digest, &size, EVP_sha1(), nullptr);
  return std::string(reinterpret_cast<const char*>(digest), size);
}

}  // namespace certmill::pki
