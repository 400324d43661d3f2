// Building the HTTP-01 solver HTTPRoute.
#include "solvers/http01/solver_httproute.hpp"

namespace certmill::solvers {

Result<api::HTTPRoute> build_solver_httproute(const api::Challenge& challenge,
                                              const SolverService& service) {
  const std::string who = describe(challenge);
  const auto& http01 = challenge.spec.solver.http01;
  if (!http01 || !http01->gateway_http_route)
    return Error(Errc::invalid_argument, who + ": its solver has no http01.gatewayHTTPRoute");
  const api::ACMEChallengeSolverHTTP01GatewayHTTPRoute& config = *http01->gateway_http_route;
  if (config.parent_refs.empty()) {
    return Error(Errc::invalid_argument,
                 who +
                     ": its solver's http01.gatewayHTTPRoute.parentRefs is empty, so the route "
                     "would attach to no Gateway");
  }
  auto path = solver_path(challenge);
  if (!path)
    return path.error();

  api::HTTPRoute route;
  route.metadata.generate_name = std::string(kSolverGenerateName);
  route.metadata.namespace_ = challenge.metadata.namespace_;
  route.metadata.labels = solver_labels(challenge);
  for (const auto& [key, value] : config.labels)
    route.metadata.labels[key] = value;
  route.metadata.owner_references = {challenge_owner(challenge)};
  route.spec.parent_refs = config.parent_refs;
  if (!is_ip_address(challenge.spec.dns_name))
    route.spec.hostnames = {challenge.spec.dns_name};
  api::HTTPRouteRule rule;
  rule.matches = {api::HTTPRouteMatch{api::HTTPPathMatch{"Exact", std::move(*path)}}};
  api::HTTPBackendRef backend;
  backend.group = "";
  backend.kind = "Service";
  backend.name = service.name;
  backend.namespace_ =
      service.namespace_.empty() ? challenge.metadata.namespace_ : service.namespace_;
  backend.port = service.port;
  backend.weight = 1;
  rule.backend_refs = {std::move(backend)};
  route.spec.rules = {std::move(rule)};
  return route;
}

}  // namespace certmill::solvers
