// Gateway → Certificates, with cert-manager's listener validation.
#include "controller/gateway_shim.hpp"

#include <algorithm>

namespace certmill::controller {

namespace {

std::vector<std::string> listener_errors(std::size_t i, const api::Listener& l,
                                         const std::string& gateway_namespace) {
  const std::string path = "spec.listeners[" + std::to_string(i) + "]";
  std::vector<std::string> errors;
  if (l.hostname.empty())
    errors.push_back(path + ".hostname: Required value: the hostname cannot be empty");
  if (!l.tls) {
    errors.push_back(path + ".tls: Required value: the TLS block cannot be empty");
    return errors;
  }
  const std::string refs = path + ".tls.certificateRef";
  if (l.tls->certificate_refs.empty())
    errors.push_back(refs + ": Required value: listener has no certificateRefs");
  for (std::size_t j = 0; j < l.tls->certificate_refs.size(); ++j) {
    const api::SecretObjectReference& ref = l.tls->certificate_refs[j];
    const std::string at = refs + "[" + std::to_string(j) + "]";
    if (!ref.group.empty() && ref.group != "core")
      errors.push_back(at + ".group: Unsupported value: \"" + ref.group +
                       "\": supported values: \"core\", \"\"");
    if (!ref.kind.empty() && ref.kind != "Secret")
      errors.push_back(at + ".kind: Unsupported value: \"" + ref.kind +
                       "\": supported values: \"Secret\", \"\"");
    if (!ref.namespace_.empty() && ref.namespace_ != gateway_namespace)
      errors.push_back(at + ".namespace: Invalid value: \"" + ref.namespace_ +
                       "\": cross-namespace secret references are not allowed in listeners");
  }
  // The API server defaults an unset mode to Terminate.
  if (!l.tls->mode.empty() && l.tls->mode != "Terminate")
    errors.push_back(path + ".tls.mode: Unsupported value: \"" + l.tls->mode +
                     "\": supported values: \"Terminate\"");
  return errors;
}

}  // namespace

ShimResult gateway_certificates(const api::Gateway& gateway, const ShimDefaults& defaults) {
  ShimResult result;
  const api::StringMap& annotations = gateway.metadata.annotations;
  result.managed = wants_certificates(annotations, defaults, false);
  if (!result.managed)
    return result;
  auto issuer = shim_issuer(annotations, defaults);
  if (!issuer) {
    result.valid = false;
    result.events.push_back({"Warning", "BadConfig",
                             "Could not determine issuer for ingress due to bad annotations: " +
                                 issuer.error().message()});
    return result;
  }
  // Listeners that share a Secret share its Certificate: hosts accumulate.
  std::vector<std::pair<std::string, std::vector<std::string>>> secrets;
  for (std::size_t i = 0; i < gateway.spec.listeners.size(); ++i) {
    const api::Listener& l = gateway.spec.listeners[i];
    if (l.protocol != "HTTPS" && l.protocol != "TLS")
      continue;
    if (auto errors = listener_errors(i, l, gateway.metadata.namespace_); !errors.empty()) {
      result.events.push_back(
          {"Warning", "BadConfig", "Skipped a listener block: " + field_errors(errors)});
      continue;
    }
    for (const api::SecretObjectReference& ref : l.tls->certificate_refs) {
      auto it = std::find_if(secrets.begin(), secrets.end(),
                             [&](const auto& s) { return s.first == ref.name; });
      if (it == secrets.end())
        it = secrets.insert(secrets.end(), {ref.name, {}});
      if (std::find(it->second.begin(), it->second.end(), l.hostname) == it->second.end())
        it->second.push_back(l.hostname);
    }
  }
  const ShimOwner owner{gateway.metadata, "gateway.networking.k8s.io/v1", "Gateway"};
  const api::StringMap extra =
      extra_certificate_annotations(annotations, defaults.extra_annotations);
  for (const auto& [secret, hosts] : secrets)
    result.certificates.push_back(shim_certificate(owner, secret, hosts, *issuer, extra));
  apply_annotations_or_fail(annotations, result);
  return result;
}

}  // namespace certmill::controller
