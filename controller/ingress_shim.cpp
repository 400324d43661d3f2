// Ingress → Certificates, with cert-manager's validation and Event texts.
#include "controller/ingress_shim.hpp"

#include <algorithm>
#include <map>

namespace certmill::controller {

namespace {

bool deleted_in_foreground(const api::ObjectMeta& meta) {
  return meta.deletion_timestamp && std::find(meta.finalizers.begin(), meta.finalizers.end(),
                                              "foregroundDeletion") != meta.finalizers.end();
}

// Two entries with one secretName would make two Certificates of one name.
std::vector<std::string> duplicate_secret_names(const std::vector<api::IngressTLS>& tls) {
  std::vector<std::string> errors;
  std::map<std::string, std::vector<std::size_t>> seen;
  std::vector<std::string> order;
  for (std::size_t i = 0; i < tls.size(); ++i) {
    auto& at = seen[tls[i].secret_name];
    if (at.empty())
      order.push_back(tls[i].secret_name);
    at.push_back(i);
  }
  for (const std::string& name : order) {
    const auto& at = seen[name];
    if (at.size() > 1) {
      errors.push_back("spec.tls[" + std::to_string(at[0]) + "].secretName: Invalid value: \"" +
                       name +
                       "\": this secret name must only appear in a single TLS entry but is also "
                       "used in spec.tls[" +
                       std::to_string(at[1]) + "].secretName");
    }
  }
  return errors;
}

std::vector<std::string> tls_block_errors(std::size_t i, const api::IngressTLS& tls) {
  const std::string path = "spec.tls[" + std::to_string(i) + "]";
  std::vector<std::string> errors;
  if (tls.hosts.empty())
    errors.push_back(path + ".hosts: Required value");
  if (tls.secret_name.empty())
    errors.push_back(path + ".secretName: Required value");
  return errors;
}

}  // namespace

ShimResult ingress_certificates(const api::Ingress& ingress, const ShimDefaults& defaults) {
  ShimResult result;
  const api::StringMap& annotations = ingress.metadata.annotations;
  result.managed = wants_certificates(annotations, defaults, true);
  if (!result.managed)
    return result;
  if (deleted_in_foreground(ingress.metadata)) {
    result.valid = false;
    return result;
  }
  auto issuer = shim_issuer(annotations, defaults);
  if (!issuer) {
    result.valid = false;
    result.events.push_back({"Warning", "BadConfig",
                             "Could not determine issuer for ingress due to bad annotations: " +
                                 issuer.error().message()});
    return result;
  }
  if (auto errors = duplicate_secret_names(ingress.spec.tls); !errors.empty()) {
    result.valid = false;
    result.events.push_back({"Warning", "BadConfig", field_errors(errors)});
    return result;
  }
  const ShimOwner owner{ingress.metadata, "networking.k8s.io/v1", "Ingress"};
  const api::StringMap extra =
      extra_certificate_annotations(annotations, defaults.extra_annotations);
  for (std::size_t i = 0; i < ingress.spec.tls.size(); ++i) {
    const api::IngressTLS& tls = ingress.spec.tls[i];
    if (auto errors = tls_block_errors(i, tls); !errors.empty()) {
      result.events.push_back(
          {"Warning", "BadConfig", "Skipped a TLS block: " + field_errors(errors)});
      continue;
    }
    result.certificates.push_back(
        shim_certificate(owner, tls.secret_name, tls.hosts, *issuer, extra));
  }
  apply_annotations_or_fail(annotations, result);
  return result;
}

}  // namespace certmill::controller
