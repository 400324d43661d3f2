// spec.nameConstraints as an X.509 extension (RFC 5280 §4.2.1.10), encoded
// as Go's crypto/x509 writes it for cert-manager, and read back from a
// certificate or CSR into one text that says whether the two agree.
#include <algorithm>

#include "core/pki/extensions.hpp"

namespace certmill::pki {

namespace {

// One subtree (base only: minimum 0 and no maximum, as Go writes them).
Status push_subtree(STACK_OF(GENERAL_SUBTREE) * subtrees, int type, const std::string& value) {
  GENERAL_SUBTREE* subtree = GENERAL_SUBTREE_new();
  GENERAL_NAME* base = new_general_name(type, value);
  if (subtree == nullptr || base == nullptr) {
    GENERAL_SUBTREE_free(subtree);
    GENERAL_NAME_free(base);
    return ossl_error(Errc::invalid_value, "cannot encode a name constraint");
  }
  GENERAL_NAME_free(subtree->base);
  subtree->base = base;
  sk_GENERAL_SUBTREE_push(subtrees, subtree);
  return {};
}

Result<STACK_OF(GENERAL_SUBTREE) *> subtrees(const api::NameConstraintItem& item,
                                             STACK_OF(GENERAL_SUBTREE) * out) {
  for (const std::string& domain : item.dns_domains)
    if (Status st = push_subtree(out, GEN_DNS, domain); !st)
      return st.error();
  for (const std::string& range : item.ip_ranges) {
    auto raw = parse_ip_range(range);
    if (!raw)
      return Error(raw.error().code(), "spec.nameConstraints: " + raw.error().message());
    if (Status st = push_subtree(out, GEN_IPADD, *raw); !st)
      return st.error();
  }
  for (const std::string& email : item.email_addresses)
    if (Status st = push_subtree(out, GEN_EMAIL, email); !st)
      return st.error();
  for (const std::string& domain : item.uri_domains)
    if (Status st = push_subtree(out, GEN_URI, domain); !st)
      return st.error();
  return out;
}

std::string hex(const unsigned char* data, int size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < size; ++i) {
    out += kDigits[data[i] >> 4];
    out += kDigits[data[i] & 15];
  }
  return out;
}

// One subtree list, each base as "type=value" and sorted: the order of a
// spec's lists is not what they mean. "-" when the list is absent.
std::string subtrees_text(const STACK_OF(GENERAL_SUBTREE) * subtrees) {
  if (subtrees == nullptr)
    return "-";
  std::vector<std::string> bases;
  for (int i = 0; i < sk_GENERAL_SUBTREE_num(subtrees); ++i) {
    const GENERAL_NAME* base = sk_GENERAL_SUBTREE_value(subtrees, i)->base;
    switch (base->type) {
      case GEN_DNS:
      case GEN_EMAIL:
      case GEN_URI: {
        const ASN1_IA5STRING* text = base->d.ia5;
        bases.push_back(std::to_string(base->type) + "=" +
                        std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(text)),
                                    static_cast<std::size_t>(ASN1_STRING_length(text))));
        break;
      }
      case GEN_IPADD:
        bases.push_back("ip=" +
                        hex(ASN1_STRING_get0_data(base->d.ip), ASN1_STRING_length(base->d.ip)));
        break;
      default:
        bases.push_back("type" + std::to_string(base->type));
    }
  }
  std::sort(bases.begin(), bases.end());
  std::string out;
  for (const std::string& b : bases)
    out += b + ";";
  return out;
}

}  // namespace

std::string name_constraints_text(X509_EXTENSION* ext) {
  auto* nc = static_cast<NAME_CONSTRAINTS*>(X509V3_EXT_d2i(ext));
  if (nc == nullptr) {
    ossl_clear_errors();
    return "unreadable";
  }
  const std::string text = std::string(X509_EXTENSION_get_critical(ext) ? "critical" : "") + "|" +
                           subtrees_text(nc->permittedSubtrees) + "|" +
                           subtrees_text(nc->excludedSubtrees);
  NAME_CONSTRAINTS_free(nc);
  return text;
}

std::string name_constraints_text(const api::NameConstraints& constraints) {
  auto ext = name_constraints_extension(constraints);
  if (!ext)
    return "invalid: " + ext.error().message();
  const std::string text = name_constraints_text(*ext);
  X509_EXTENSION_free(*ext);
  return text;
}

Result<X509_EXTENSION*> name_constraints_extension(const api::NameConstraints& constraints) {
  NameConstraintsPtr nc(NAME_CONSTRAINTS_new());
  if (!nc)
    return ossl_error(Errc::invalid_value, "cannot encode the name constraints");
  for (const auto& [item, field] : {std::pair{&constraints.permitted, &nc->permittedSubtrees},
                                    std::pair{&constraints.excluded, &nc->excludedSubtrees}}) {
    if (!item->has_value())
      continue;
    *field = sk_GENERAL_SUBTREE_new_null();
    if (*field == nullptr)
      return ossl_error(Errc::invalid_value, "cannot encode the name constraints");
    if (auto added = subtrees(**item, *field); !added)
      return added.error();
  }
  X509_EXTENSION* ext =
      X509V3_EXT_i2d(NID_name_constraints, constraints.critical ? 1 : 0, nc.get());
  if (ext == nullptr)
    return ossl_error(Errc::invalid_value, "cannot encode the name constraints");
  return ext;
}

}  // namespace certmill::pki
