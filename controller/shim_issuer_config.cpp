// Ingress and Gateway ACME annotations as Certificate annotations.
#include "controller/shim_issuer_config.hpp"

#include "solvers/http01/ingress_overrides.hpp"

namespace certmill::controller {

void set_issuer_specific_config(const api::ObjectMeta& owner, api::Certificate& crt) {
  const api::StringMap& from = owner.annotations;
  api::StringMap& to = crt.metadata.annotations;
  // Only "true" turns it on, as cert-manager compares the string.
  if (auto it = from.find(std::string(kEditInPlaceAnnotation));
      it != from.end() && it->second == "true") {
    to[std::string(solvers::kIngressNameOverride)] = owner.name;
    // cert-manager's choice for ingress-gce, which serves an Ingress only
    // once its TLS Secret exists.
    to["cert-manager.io/issue-temporary-certificate"] = "true";
  }
  if (auto it = from.find(std::string(kIngressClassAnnotation)); it != from.end())
    to[std::string(solvers::kIngressClassOverride)] = it->second;
  if (auto it = from.find(std::string(kIngressClassNameAnnotation)); it != from.end())
    to[std::string(solvers::kIngressClassNameOverride)] = it->second;
}

}  // namespace certmill::controller
