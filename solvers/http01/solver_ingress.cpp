// Building, editing and cleaning up HTTP-01 solver Ingresses.
#include "solvers/http01/solver_ingress.hpp"

#include <algorithm>
#include <vector>

#include "core/api/codec.hpp"
#include "solvers/http01/token.hpp"

namespace certmill::solvers {

namespace {

constexpr std::string_view kWhitelistAnnotation =
    "nginx.ingress.kubernetes.io/whitelist-source-range";

// An IP identifier's challenge is answered on every host: an Ingress host
// must be a DNS name.
std::string rule_host(const api::Challenge& challenge) {
  return is_ip_address(challenge.spec.dns_name) ? std::string() : challenge.spec.dns_name;
}

api::HTTPIngressPath solver_ingress_path(std::string path, const SolverService& service) {
  api::HTTPIngressPath out;
  out.path = std::move(path);
  out.path_type = "ImplementationSpecific";
  out.backend.service = api::IngressServiceBackend{service.name, {"", service.port}};
  return out;
}

// The challenge's path, once its solver is an ingress one and its token is
// base64url.
Result<std::string> checked_path(const api::Challenge& challenge) {
  const auto& http01 = challenge.spec.solver.http01;
  if (!http01 || !http01->ingress)
    return Error(Errc::invalid_argument,
                 describe(challenge) + ": its solver has no http01.ingress");
  return solver_path(challenge);
}

// Lays the solver's ingressTemplate metadata over the defaults, as
// cert-manager does: its labels and annotations win, and a
// "*/whitelist-source-range" annotation of any controller replaces nginx's
// default rather than sitting beside it.
Status apply_template(api::Ingress& ingress, const api::RawJson& ingress_template,
                      const api::Challenge& challenge) {
  if (ingress_template.text.empty())
    return {};
  auto decoded = api::decode<api::ObjectHeader>(ingress_template.text);
  if (!decoded) {
    return Error(decoded.error().code(),
                 describe(challenge) +
                     ": its solver's http01.ingress.ingressTemplate: " + decoded.error().message());
  }
  for (const auto& [key, value] : decoded->metadata.labels)
    ingress.metadata.labels[key] = value;
  for (const auto& [key, value] : decoded->metadata.annotations) {
    const auto slash = key.rfind('/');
    const std::string_view name =
        std::string_view(key).substr(slash == std::string::npos ? 0 : slash + 1);
    if (name == "whitelist-source-range")
      ingress.metadata.annotations.erase(std::string(kWhitelistAnnotation));
    ingress.metadata.annotations[key] = value;
  }
  return {};
}

}  // namespace

Result<api::Ingress> build_solver_ingress(const api::Challenge& challenge,
                                          const SolverService& service) {
  auto path = checked_path(challenge);
  if (!path)
    return path.error();
  const api::ACMEChallengeSolverHTTP01Ingress& config = *challenge.spec.solver.http01->ingress;
  if (!config.name.empty()) {
    return Error(Errc::invalid_argument,
                 describe(challenge) + ": its solver edits Ingress " + config.name +
                     " in place (http01.ingress.name); it gets a path, not a new Ingress");
  }
  api::Ingress ingress;
  ingress.metadata.generate_name = std::string(kSolverGenerateName);
  ingress.metadata.namespace_ = challenge.metadata.namespace_;
  ingress.metadata.labels = solver_labels(challenge);
  ingress.metadata.annotations[std::string(kWhitelistAnnotation)] = "0.0.0.0/0,::/0";
  if (!config.class_.empty())
    ingress.metadata.annotations["kubernetes.io/ingress.class"] = config.class_;
  ingress.metadata.owner_references = {challenge_owner(challenge)};
  ingress.spec.ingress_class_name = config.ingress_class_name;
  api::IngressRule rule;
  rule.host = rule_host(challenge);
  rule.http = api::HTTPIngressRuleValue{{solver_ingress_path(std::move(*path), service)}};
  ingress.spec.rules = {std::move(rule)};
  if (Status applied = apply_template(ingress, config.ingress_template, challenge); !applied)
    return applied.error();
  return ingress;
}

Result<api::Ingress> with_challenge_path(api::Ingress ingress, const api::Challenge& challenge,
                                         const SolverService& service) {
  auto path = checked_path(challenge);
  if (!path)
    return path.error();
  api::HTTPIngressPath wanted = solver_ingress_path(std::move(*path), service);
  const std::string host = rule_host(challenge);
  for (api::IngressRule& rule : ingress.spec.rules) {
    if (rule.host != host)
      continue;
    if (!rule.http)
      rule.http.emplace();
    auto& paths = rule.http->paths;
    auto same = std::find_if(paths.begin(), paths.end(),
                             [&](const api::HTTPIngressPath& p) { return p.path == wanted.path; });
    if (same != paths.end())
      *same = std::move(wanted);
    else
      paths.insert(paths.begin(), std::move(wanted));
    return ingress;
  }
  api::IngressRule rule;
  rule.host = host;
  rule.http = api::HTTPIngressRuleValue{{std::move(wanted)}};
  ingress.spec.rules.push_back(std::move(rule));
  return ingress;
}

api::Ingress without_challenge_path(api::Ingress ingress, const api::Challenge& challenge) {
  const std::string path = challenge_path(challenge.spec.token);
  const std::string host = rule_host(challenge);
  std::vector<api::IngressRule> kept;
  for (api::IngressRule& rule : ingress.spec.rules) {
    if (rule.host == host && rule.http) {
      const auto removed = std::erase_if(
          rule.http->paths, [&](const api::HTTPIngressPath& p) { return p.path == path; });
      // Only a rule this challenge emptied goes; a user's empty rule stays.
      if (removed > 0 && rule.http->paths.empty())
        continue;
    }
    kept.push_back(std::move(rule));
  }
  ingress.spec.rules = std::move(kept);
  return ingress;
}

}  // namespace certmill::solvers
