// The HTTP-01 solver HTTPRoute encodes as cert-manager's would (checked
// against what pkg/issuer/acme/http/httproute.go builds): the solver's
// parentRefs and labels, the host, an exact path match, certmill's Service as
// the backend.
#include "solvers/http01/solver_httproute.hpp"

#include <catch2/catch.hpp>

#include "core/api/codec.hpp"
#include "tests/solvers/solver_objects.hpp"
#include "tests/support/canonical_json.hpp"

using namespace certmill;
using solvers::SolverService;

namespace {

api::Challenge route_challenge() {
  api::ACMEChallengeSolverHTTP01GatewayHTTPRoute config;
  config.service_type = "ClusterIP";  // no solver pods: nothing to expose
  config.labels = {{"gateway", "public"}, {"acme.cert-manager.io/http01-solver", "yes"}};
  api::ParentReference parent;
  parent.name = "public";
  parent.namespace_ = "gateways";
  parent.section_name = "http";
  config.parent_refs = {parent};
  api::ACMEChallengeSolverHTTP01 http01;
  http01.gateway_http_route = config;
  return test::http01_challenge(http01);
}

}  // namespace

TEST_CASE("the solver HTTPRoute encodes as cert-manager's") {
  auto route = solvers::build_solver_httproute(route_challenge(), {"certmill-http01", "", 8089});
  INFO((route.ok() ? "" : route.error().message()));
  REQUIRE(route.ok());
  // The solver's labels are laid over cert-manager's, as it does. Go's
  // encoder also writes metadata.creationTimestamp null and an empty status,
  // which the API server ignores on create.
  const std::string expected =
      R"({"apiVersion":"gateway.networking.k8s.io/v1","kind":"HTTPRoute","metadata":{)"
      R"("generateName":"cm-acme-http-solver-","namespace":"shop",)"
      R"("labels":{"acme.cert-manager.io/http-domain":"810681837",)"
      R"("acme.cert-manager.io/http-token":"1204752135",)"
      R"("acme.cert-manager.io/http01-solver":"yes","gateway":"public"},)"
      R"("ownerReferences":[{"apiVersion":"acme.cert-manager.io/v1","kind":"Challenge",)"
      R"("name":"www-example-com-1-3677445741-2690577496",)"
      R"("uid":"6f1c2d1e-0b1a-4c55-9d3e-1c2b3a4d5e6f","controller":true,)"
      R"("blockOwnerDeletion":true}]},)"
      R"("spec":{"parentRefs":[{"name":"public","namespace":"gateways","sectionName":"http"}],)"
      R"("hostnames":["www.example.com"],"rules":[{"matches":[{"path":{"type":"Exact",)"
      R"("value":"/.well-known/acme-challenge/LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0"}}],)"
      R"("backendRefs":[{"group":"","kind":"Service","name":"certmill-http01",)"
      R"("namespace":"shop","port":8089,"weight":1}]}]}})";
  CHECK(test::canonical_json(api::encode(*route)) == test::canonical_json(expected));
}

TEST_CASE("the solver HTTPRoute can point at certmill's Service in its own namespace") {
  auto route =
      solvers::build_solver_httproute(route_challenge(), {"certmill", "cert-manager", 18089});
  REQUIRE(route.ok());
  const auto& backend = route->spec.rules.at(0).backend_refs.at(0);
  CHECK(backend.namespace_ == "cert-manager");
  CHECK(backend.port == 18089);
  CHECK(backend.name == "certmill");
}

TEST_CASE("an IP identifier's HTTPRoute matches every hostname") {
  auto challenge = route_challenge();
  challenge.spec.dns_name = "192.0.2.10";
  auto route = solvers::build_solver_httproute(challenge, {"certmill", "", 8089});
  REQUIRE(route.ok());
  CHECK(route->spec.hostnames.empty());
}

TEST_CASE("a solver HTTPRoute is refused without parents, for another solver or a bad token") {
  auto orphan = route_challenge();
  orphan.spec.solver.http01->gateway_http_route->parent_refs.clear();
  auto no_parents = solvers::build_solver_httproute(orphan, {"certmill", "", 8089});
  REQUIRE_FALSE(no_parents.ok());
  CHECK(no_parents.error().message().find("parentRefs is empty") != std::string::npos);

  auto ingress = solvers::build_solver_httproute(test::ingress_challenge(), {"certmill", "", 8089});
  REQUIRE_FALSE(ingress.ok());
  CHECK(ingress.error().message().find("no http01.gatewayHTTPRoute") != std::string::npos);

  auto slashed = route_challenge();
  slashed.spec.token = "a/b";
  auto bad = solvers::build_solver_httproute(slashed, {"certmill", "", 8089});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code() == Errc::invalid_value);
}
