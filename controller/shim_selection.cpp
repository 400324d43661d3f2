// The shims' choice of objects and issuer (shim_selection.hpp).
#include "controller/shim_selection.hpp"

#include <algorithm>

namespace certmill::controller {

namespace {

// An annotation under cert-manager.io/.
const std::string* find(const api::StringMap& annotations, std::string_view name) {
  auto it = annotations.find("cert-manager.io/" + std::string(name));
  return it == annotations.end() ? nullptr : &it->second;
}

}  // namespace

bool go_true(std::string_view text) {
  return text == "1" || text == "t" || text == "T" || text == "TRUE" || text == "true" ||
         text == "True";
}

bool wants_certificates(const api::StringMap& annotations, const ShimDefaults& defaults,
                        bool is_ingress) {
  if (find(annotations, "issuer") || find(annotations, "cluster-issuer"))
    return true;
  if (!is_ingress || defaults.issuer.name.empty())
    return false;
  return std::any_of(defaults.auto_annotations.begin(), defaults.auto_annotations.end(),
                     [&](const std::string& key) {
                       auto it = annotations.find(key);
                       return it != annotations.end() && go_true(it->second);
                     });
}

api::StringMap extra_certificate_annotations(const api::StringMap& annotations,
                                             const std::vector<std::string>& keys) {
  api::StringMap out;
  for (const std::string& key : keys) {
    if (auto it = annotations.find(key); it != annotations.end())
      out.insert(*it);
  }
  return out;
}

Result<api::IssuerRef> shim_issuer(const api::StringMap& annotations,
                                   const ShimDefaults& defaults) {
  api::IssuerRef ref = defaults.issuer;
  const std::string* issuer = find(annotations, "issuer");
  const std::string* cluster = find(annotations, "cluster-issuer");
  const std::string* kind = find(annotations, "issuer-kind");
  const std::string* group = find(annotations, "issuer-group");
  if (issuer) {
    ref.name = *issuer;
    ref.kind = "Issuer";
  }
  if (cluster) {
    ref.name = *cluster;
    ref.kind = "ClusterIssuer";
  }
  if (kind)
    ref.kind = *kind;
  if (group)
    ref.group = *group;
  std::vector<std::string> errors;
  const auto both = [&](const char* a, const char* b) {
    errors.push_back("both \"cert-manager.io/" + std::string(a) + "\" and \"cert-manager.io/" +
                     std::string(b) + "\" may not be set");
  };
  if (ref.name.empty())
    errors.emplace_back("failed to determine issuer name to be used for ingress resource");
  if (issuer && cluster)
    both("issuer", "cluster-issuer");
  if (cluster && group)
    both("cluster-issuer", "issuer-group");
  if (cluster && kind)
    both("cluster-issuer", "issuer-kind");
  if (errors.empty())
    return ref;
  std::string message;
  for (const std::string& e : errors)
    message += (message.empty() ? "" : ", ") + e;
  return Error(Errc::invalid_value, message);
}

}  // namespace certmill::controller
