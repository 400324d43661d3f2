// The Ingress side of an HTTP-01 challenge (the solver's http01.ingress), as
// cert-manager's pkg/issuer/acme/http/ingress.go shapes it: either a new
// Ingress for the challenge, or one path added to the user's Ingress named by
// http01.ingress.name ("edit in place") and removed again afterwards. Pure
// functions from api objects to api objects; the caller writes them.
//
// The backend is certmill's Service, which must exist in the Challenge's
// namespace: an Ingress cannot route to another namespace.
#pragma once

#include "core/api/acme.hpp"
#include "core/api/ingress.hpp"
#include "core/result.hpp"
#include "solvers/http01/solver_meta.hpp"

namespace certmill::solvers {

// The Ingress certmill creates for `challenge`: generateName
// "cm-acme-http-solver-" in the Challenge's namespace, the solver labels,
// owned by the Challenge; one rule for the challenge's host (every host for
// an IP address) with the path /.well-known/acme-challenge/<token>
// (ImplementationSpecific) to `service`. Annotations as cert-manager sets
// them: nginx's whitelist-source-range "0.0.0.0/0,::/0" so an allow-list on
// the controller cannot block the CA, and kubernetes.io/ingress.class when
// `class` is set; `ingressClassName` goes to spec.ingressClassName. The
// solver's ingressTemplate labels and annotations are laid over these.
// serviceType and podTemplate do not apply (no solver pods).
// An error when the challenge is not HTTP-01 with an ingress solver, names
// an Ingress to edit instead, has a token that is not base64url, or an
// ingressTemplate that does not decode.
Result<api::Ingress> build_solver_ingress(const api::Challenge& challenge,
                                          const SolverService& service);

// `ingress` (the user's, named by http01.ingress.name) with the challenge's
// path routed to `service` under the rule for its host: an existing path for
// the token is pointed at `service`, otherwise the path is put first in the
// rule (ahead of the user's catch-all paths), or a new rule is added. Equal
// to `ingress` when nothing needs to change, so the caller can skip the write.
Result<api::Ingress> with_challenge_path(api::Ingress ingress, const api::Challenge& challenge,
                                         const SolverService& service);

// `ingress` without the challenge's path; a rule left with no paths is
// dropped, every other rule is kept as it was.
api::Ingress without_challenge_path(api::Ingress ingress, const api::Challenge& challenge);

}  // namespace certmill::solvers
