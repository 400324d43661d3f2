// The PrometheusRule in deploy/ carries exactly the groups of the plain rules
// file (both are what users apply; one is generated from the other).
#include <catch2/catch.hpp>

#include "k8s/yaml.hpp"
#include "tests/support/files.hpp"

using namespace certmill;

TEST_CASE("the PrometheusRule holds the same alert groups as the rules file") {
  auto rules = k8s::yaml_to_json(test::read_file("deploy/prometheus/certmill-alerts.rules.yaml"));
  auto operator_rule =
      k8s::yaml_to_json(test::read_file("deploy/prometheus/certmill-prometheusrule.yaml"));
  REQUIRE(rules.ok());
  REQUIRE(operator_rule.ok());
  CHECK_THAT(*operator_rule, Catch::StartsWith(R"({"apiVersion":"monitoring.coreos.com/v1",)"
                                               R"("kind":"PrometheusRule",)"));
  INFO("run deploy/prometheus/generate-prometheusrule after editing the rules file");
  CHECK_THAT(*operator_rule, Catch::EndsWith("\"spec\":" + *rules + "}"));
}
