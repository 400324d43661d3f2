// The HTTP-01 ingress override annotations, as cert-manager applies them
// when it builds a Challenge: each replaces the solver's name, class and
// ingressClassName together; two at once are an error; HTTPRoute solvers
// and solvers without overrides are left as they are.
#include "solvers/http01/ingress_overrides.hpp"

#include <catch2/catch.hpp>

using namespace certmill;

namespace {

api::ACMEChallengeSolver ingress_solver() {
  api::ACMEChallengeSolver solver;
  solver.http01.emplace();
  solver.http01->ingress.emplace();
  solver.http01->ingress->class_ = "nginx";
  solver.http01->ingress->ingress_class_name = "internal";
  solver.http01->ingress->ingress_template.text = R"({"metadata":{"labels":{"a":"b"}}})";
  return solver;
}

const std::string kName(solvers::kIngressNameOverride);
const std::string kClass(solvers::kIngressClassOverride);
const std::string kClassName(solvers::kIngressClassNameOverride);

}  // namespace

TEST_CASE("the override annotations have cert-manager's names") {
  CHECK(kName == "acme.cert-manager.io/http01-override-ingress-name");
  CHECK(kClass == "acme.cert-manager.io/http01-override-ingress-class");
  CHECK(kClassName == "acme.cert-manager.io/http01-override-ingress-ingressclassname");
}

TEST_CASE("each override replaces name, class and ingressClassName together") {
  auto named = solvers::with_ingress_overrides(ingress_solver(), {{kName, "web"}});
  REQUIRE(named.ok());
  CHECK(named->http01->ingress->name == "web");
  CHECK(named->http01->ingress->class_.empty());
  CHECK(named->http01->ingress->ingress_class_name.empty());
  // The rest of the solver stays.
  CHECK(named->http01->ingress->ingress_template ==
        ingress_solver().http01->ingress->ingress_template);

  auto classed = solvers::with_ingress_overrides(ingress_solver(), {{kClass, "traefik"}});
  REQUIRE(classed.ok());
  CHECK(classed->http01->ingress->class_ == "traefik");
  CHECK(classed->http01->ingress->ingress_class_name.empty());
  CHECK(classed->http01->ingress->name.empty());

  api::ACMEChallengeSolver editing = ingress_solver();
  editing.http01->ingress->name = "theirs";
  auto class_named = solvers::with_ingress_overrides(editing, {{kClassName, "haproxy"}});
  REQUIRE(class_named.ok());
  CHECK(class_named->http01->ingress->ingress_class_name == "haproxy");
  CHECK(class_named->http01->ingress->class_.empty());
  CHECK(class_named->http01->ingress->name.empty());
}

TEST_CASE("without overrides, or for an HTTPRoute solver, the solver is unchanged") {
  const api::StringMap unrelated{{"cert-manager.io/certificate-name", "web"}};
  auto same = solvers::with_ingress_overrides(ingress_solver(), unrelated);
  REQUIRE(same.ok());
  CHECK(*same == ingress_solver());

  api::ACMEChallengeSolver route;
  route.http01.emplace();
  route.http01->gateway_http_route.emplace();
  route.http01->gateway_http_route->labels = {{"a", "b"}};
  // Even two overrides: cert-manager only looks at them for ingress solvers.
  auto kept = solvers::with_ingress_overrides(route, {{kName, "web"}, {kClass, "nginx"}});
  REQUIRE(kept.ok());
  CHECK(*kept == route);
}

TEST_CASE("more than one override is an error in cert-manager's words") {
  const std::vector<api::StringMap> pairs = {
      {{kName, "web"}, {kClass, "nginx"}},
      {{kName, "web"}, {kClassName, "nginx"}},
      {{kClass, "nginx"}, {kClassName, "nginx"}},
      {{kName, "web"}, {kClass, "nginx"}, {kClassName, "nginx"}},
  };
  for (const api::StringMap& annotations : pairs) {
    auto result = solvers::with_ingress_overrides(ingress_solver(), annotations);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().message() ==
          "may not specify more than one of: name, class, ingressClassName override annotations");
    CHECK_FALSE(solvers::check_ingress_overrides(annotations).ok());
  }
  CHECK(solvers::check_ingress_overrides({{kName, "web"}}).ok());
  CHECK(solvers::check_ingress_overrides({}).ok());
}
