// The HTTP-01 solver Ingress: the object certmill creates encodes as
// cert-manager's would (checked field by field against what
// pkg/issuer/acme/http/ingress.go builds), and edit-in-place adds the path to
// the user's Ingress and removes it again, leaving everything else alone.
#include "solvers/http01/solver_ingress.hpp"

#include <catch2/catch.hpp>

#include "core/api/codec.hpp"
#include "tests/solvers/solver_objects.hpp"
#include "tests/support/canonical_json.hpp"

using namespace certmill;
using solvers::SolverService;

namespace {

const SolverService kService{"certmill-http01", "", 8089};

// The solver labels for www.example.com and the test token: Adler-32 in
// decimal, as Python's zlib.adler32 computes them too.
constexpr const char* kLabels = R"("labels":{"acme.cert-manager.io/http-domain":"810681837",)"
                                R"("acme.cert-manager.io/http-token":"1204752135",)"
                                R"("acme.cert-manager.io/http01-solver":"true"})";

constexpr const char* kOwner =
    R"("ownerReferences":[{"apiVersion":"acme.cert-manager.io/v1","kind":"Challenge",)"
    R"("name":"www-example-com-1-3677445741-2690577496",)"
    R"("uid":"6f1c2d1e-0b1a-4c55-9d3e-1c2b3a4d5e6f","controller":true,)"
    R"("blockOwnerDeletion":true}])";

constexpr const char* kPath =
    R"({"path":"/.well-known/acme-challenge/LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0",)"
    R"("pathType":"ImplementationSpecific",)"
    R"("backend":{"service":{"name":"certmill-http01","port":{"number":8089}}}})";

api::Ingress users_ingress() {
  api::Ingress ingress;
  ingress.metadata.name = "shop";
  ingress.metadata.namespace_ = "shop";
  ingress.metadata.annotations["cert-manager.io/issuer"] = "letsencrypt";
  api::HTTPIngressPath root;
  root.path = "/";
  root.path_type = "Prefix";
  root.backend.service = api::IngressServiceBackend{"shop-web", {"http", 0}};
  api::IngressRule www;
  www.host = "www.example.com";
  www.http = api::HTTPIngressRuleValue{{root}};
  api::IngressRule api_host;
  api_host.host = "api.example.com";
  api_host.http = api::HTTPIngressRuleValue{{root}};
  ingress.spec.rules = {www, api_host};
  return ingress;
}

}  // namespace

TEST_CASE("the solver Ingress encodes as cert-manager's, with the class annotation") {
  api::ACMEChallengeSolverHTTP01Ingress config;
  config.class_ = "nginx";
  config.service_type = "NodePort";  // no solver pods: nothing to expose
  auto ingress = solvers::build_solver_ingress(test::ingress_challenge(config), kService);
  INFO((ingress.ok() ? "" : ingress.error().message()));
  REQUIRE(ingress.ok());
  // Go's encoder also writes metadata.creationTimestamp null and an empty
  // status, which the API server ignores on create.
  const std::string expected =
      std::string(R"({"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{)") +
      R"("generateName":"cm-acme-http-solver-","namespace":"shop",)" + kLabels +
      R"(,"annotations":{"kubernetes.io/ingress.class":"nginx",)" +
      R"("nginx.ingress.kubernetes.io/whitelist-source-range":"0.0.0.0/0,::/0"},)" + kOwner +
      R"(},"spec":{"rules":[{"host":"www.example.com","http":{"paths":[)" + kPath + "]}}]}}";
  CHECK(test::canonical_json(api::encode(*ingress)) == test::canonical_json(expected));
}

TEST_CASE("ingressClassName goes to spec.ingressClassName, without the annotation") {
  api::ACMEChallengeSolverHTTP01Ingress config;
  config.ingress_class_name = "traefik";
  auto ingress = solvers::build_solver_ingress(test::ingress_challenge(config), kService);
  REQUIRE(ingress.ok());
  CHECK(ingress->spec.ingress_class_name == "traefik");
  CHECK(ingress->metadata.annotations ==
        api::StringMap{{"nginx.ingress.kubernetes.io/whitelist-source-range", "0.0.0.0/0,::/0"}});
  // Neither set: no class at all, as cert-manager (every controller may serve it).
  auto plain = solvers::build_solver_ingress(test::ingress_challenge(), kService);
  REQUIRE(plain.ok());
  CHECK(plain->spec.ingress_class_name.empty());
  CHECK(plain->metadata.annotations.size() == 1);
}

TEST_CASE("the solver's ingressTemplate labels and annotations are laid over the defaults") {
  api::ACMEChallengeSolverHTTP01Ingress config;
  config.ingress_template.text =
      R"({"metadata":{"labels":{"team":"shop","acme.cert-manager.io/http01-solver":"yes"},)"
      R"("annotations":{"haproxy.org/whitelist-source-range":"10.0.0.0/8","x":"y"}}})";
  auto ingress = solvers::build_solver_ingress(test::ingress_challenge(config), kService);
  INFO((ingress.ok() ? "" : ingress.error().message()));
  REQUIRE(ingress.ok());
  CHECK(ingress->metadata.labels.at("team") == "shop");
  CHECK(ingress->metadata.labels.at("acme.cert-manager.io/http01-solver") == "yes");
  CHECK(ingress->metadata.labels.at("acme.cert-manager.io/http-domain") == "810681837");
  // Any controller's whitelist-source-range replaces nginx's default.
  CHECK(ingress->metadata.annotations ==
        api::StringMap{{"haproxy.org/whitelist-source-range", "10.0.0.0/8"}, {"x", "y"}});

  config.ingress_template.text = R"({"metadata":{"labels":{"team":7}}})";
  auto bad = solvers::build_solver_ingress(test::ingress_challenge(config), kService);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message().find("http01.ingress.ingressTemplate") != std::string::npos);
}

TEST_CASE("the solver Ingress takes the Service's name and port, and any host for an IP") {
  auto challenge = test::ingress_challenge();
  challenge.spec.dns_name = "192.0.2.10";
  auto ingress = solvers::build_solver_ingress(challenge, SolverService{"certmill", "", 18089});
  REQUIRE(ingress.ok());
  REQUIRE(ingress->spec.rules.size() == 1);
  CHECK(ingress->spec.rules[0].host.empty());
  const auto& path = ingress->spec.rules[0].http->paths.at(0);
  CHECK(path.backend.service->name == "certmill");
  CHECK(path.backend.service->port.number == 18089);
  CHECK(ingress->metadata.labels.at("acme.cert-manager.io/http-domain") == "179372522");
  challenge.spec.dns_name = "2001:db8::1";
  CHECK(solvers::build_solver_ingress(challenge, kService)->spec.rules[0].host.empty());
}

TEST_CASE("a solver Ingress is refused for a bad token, another solver, or edit-in-place") {
  auto challenge = test::ingress_challenge();
  challenge.spec.token = "../../admin";
  auto bad = solvers::build_solver_ingress(challenge, kService);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message().find("spec.token is not a base64url token") != std::string::npos);
  CHECK(bad.error().message().find("shop/www-example-com-1-3677445741-2690577496") !=
        std::string::npos);
  CHECK_FALSE(solvers::with_challenge_path(users_ingress(), challenge, kService).ok());

  auto dns = test::ingress_challenge();
  dns.spec.type = api::AcmeChallengeType::DNS01;
  CHECK_FALSE(solvers::build_solver_ingress(dns, kService).ok());

  auto route = test::http01_challenge({});
  auto no_ingress = solvers::build_solver_ingress(route, kService);
  REQUIRE_FALSE(no_ingress.ok());
  CHECK(no_ingress.error().message().find("no http01.ingress") != std::string::npos);

  api::ACMEChallengeSolverHTTP01Ingress in_place;
  in_place.name = "shop";
  auto edit = solvers::build_solver_ingress(test::ingress_challenge(in_place), kService);
  REQUIRE_FALSE(edit.ok());
  CHECK(edit.error().message().find("edits Ingress shop in place") != std::string::npos);
}

TEST_CASE("edit in place puts the path first in the host's rule and takes it out again") {
  api::ACMEChallengeSolverHTTP01Ingress config;
  config.name = "shop";
  const auto challenge = test::ingress_challenge(config);
  const api::Ingress original = users_ingress();
  auto edited = solvers::with_challenge_path(original, challenge, kService);
  REQUIRE(edited.ok());
  REQUIRE(edited->spec.rules.size() == 2);
  const auto& paths = edited->spec.rules[0].http->paths;
  REQUIRE(paths.size() == 2);
  // First, so a controller that matches in order does not send it to "/".
  CHECK(paths[0].path == "/.well-known/acme-challenge/LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0");
  CHECK(paths[0].path_type == "ImplementationSpecific");
  CHECK(paths[0].backend.service->name == "certmill-http01");
  CHECK(paths[1] == original.spec.rules[0].http->paths[0]);
  CHECK(edited->spec.rules[1] == original.spec.rules[1]);
  const std::string encoded = api::encode(*edited);
  CHECK(test::canonical_json(encoded).find(test::canonical_json(kPath)) != std::string::npos);
  CHECK(edited->metadata == original.metadata);

  // Adding again changes nothing, so the caller writes nothing.
  auto again = solvers::with_challenge_path(*edited, challenge, kService);
  REQUIRE(again.ok());
  CHECK(*again == *edited);

  // Removing restores the user's Ingress exactly.
  CHECK(solvers::without_challenge_path(*edited, challenge) == original);
  CHECK(solvers::without_challenge_path(original, challenge) == original);
}

TEST_CASE("edit in place repoints a stale path and adds a rule for a new host") {
  api::ACMEChallengeSolverHTTP01Ingress config;
  config.name = "shop";
  auto challenge = test::ingress_challenge(config);
  auto edited = solvers::with_challenge_path(users_ingress(), challenge,
                                             SolverService{"old-solver", "", 8089});
  REQUIRE(edited.ok());
  auto repointed = solvers::with_challenge_path(*edited, challenge, kService);
  REQUIRE(repointed.ok());
  REQUIRE(repointed->spec.rules[0].http->paths.size() == 2);
  CHECK(repointed->spec.rules[0].http->paths[0].backend.service->name == "certmill-http01");

  challenge.spec.dns_name = "new.example.com";
  auto added = solvers::with_challenge_path(users_ingress(), challenge, kService);
  REQUIRE(added.ok());
  REQUIRE(added->spec.rules.size() == 3);
  CHECK(added->spec.rules[2].host == "new.example.com");
  CHECK(added->spec.rules[2].http->paths.size() == 1);
  // The rule that held only the challenge's path goes with it.
  CHECK(solvers::without_challenge_path(*added, challenge) == users_ingress());

  // A host rule without http gets one.
  api::Ingress bare = users_ingress();
  bare.spec.rules[0].http.reset();
  challenge.spec.dns_name = "www.example.com";
  auto filled = solvers::with_challenge_path(bare, challenge, kService);
  REQUIRE(filled.ok());
  REQUIRE(filled->spec.rules[0].http.has_value());
  CHECK(filled->spec.rules[0].http->paths.size() == 1);
}
