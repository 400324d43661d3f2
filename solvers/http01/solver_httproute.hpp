// The Gateway API side of an HTTP-01 challenge (the solver's
// http01.gatewayHTTPRoute), as cert-manager's
// pkg/issuer/acme/http/httproute.go shapes it. A pure function; the caller
// creates the route, or compares it with the one found by solver labels.
#pragma once

#include "core/api/acme.hpp"
#include "core/api/gateway.hpp"
#include "core/result.hpp"
#include "solvers/http01/solver_meta.hpp"

namespace certmill::solvers {

// The HTTPRoute certmill creates for `challenge`: generateName
// "cm-acme-http-solver-" in the Challenge's namespace, the solver labels
// with gatewayHTTPRoute.labels over them, owned by the Challenge; the
// solver's parentRefs; the challenge's host as its one hostname (none for an
// IP address: a hostname must be a DNS name); one rule matching the path
// /.well-known/acme-challenge/<token> exactly, to `service` (group "", kind
// Service, weight 1). serviceType and podTemplate do not apply.
// An error when the challenge is not HTTP-01 with a gatewayHTTPRoute
// solver, the solver names no parentRefs (the route would attach to no
// Gateway), or the token is not base64url.
Result<api::HTTPRoute> build_solver_httproute(const api::Challenge& challenge,
                                              const SolverService& service);

}  // namespace certmill::solvers
