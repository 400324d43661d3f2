// spec.nameConstraints as an X.509 extension (RFC 5280 §4.2.1.10), encoded
// as Go's crypto/x509 writes it for cert-manager.
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

}  // namespace

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
