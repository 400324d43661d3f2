// The Service and EndpointSlice that lead a Challenge's solver route to the
// leader's pod: their JSON as the API server receives it, the name rules
// (stable, at most 63 characters, a DNS-1035 label), the address family from
// POD_IP, and what a new leader does with each slice it finds.
#include "solvers/http01/solver_endpoint.hpp"

#include <catch2/catch.hpp>

#include "core/api/codec.hpp"
#include "tests/solvers/solver_objects.hpp"
#include "tests/support/canonical_json.hpp"

using namespace certmill;
using solvers::PodEndpoint;
using solvers::RepointPlan;

namespace {

constexpr const char* kLabels = R"("acme.cert-manager.io/http-domain":"810681837",)"
                                R"("acme.cert-manager.io/http-token":"1204752135",)"
                                R"("acme.cert-manager.io/http01-solver":"true")";

constexpr const char* kOwner =
    R"("ownerReferences":[{"apiVersion":"acme.cert-manager.io/v1","kind":"Challenge",)"
    R"("name":"www-example-com-1-3677445741-2690577496",)"
    R"("uid":"6f1c2d1e-0b1a-4c55-9d3e-1c2b3a4d5e6f","controller":true,)"
    R"("blockOwnerDeletion":true}])";

// FNV-1a 64 of the Challenge's name, computed apart (Python) for this test.
constexpr const char* kName = "cm-acme-http-solver-f153755eb5552bb2";

bool dns1035_label(const std::string& name) {
  if (name.empty() || name.size() > 63 || !(name.front() >= 'a' && name.front() <= 'z') ||
      name.back() == '-')
    return false;
  for (const char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
      return false;
  }
  return true;
}

}  // namespace

TEST_CASE("the solver Service has no selector, the Challenge as owner and the pod's port") {
  const api::Service service = solvers::build_solver_service(test::ingress_challenge(), 8089,
                                                             PodEndpoint{"10.1.2.3", 18089});
  const std::string expected =
      std::string(R"({"apiVersion":"v1","kind":"Service","metadata":{"name":")") + kName +
      R"(","namespace":"shop","labels":{)" + kLabels + "}," + kOwner +
      R"(},"spec":{"type":"ClusterIP","ports":[{"name":"http","protocol":"TCP","port":8089,)"
      R"("targetPort":18089}]}})";
  CHECK(test::canonical_json(api::encode(service)) == test::canonical_json(expected));
  CHECK(service.spec.selector.empty());
}

TEST_CASE("the solver EndpointSlice names the pod's IP and port, for its Service") {
  auto slice = solvers::build_solver_endpoint_slice(test::ingress_challenge(), {"10.1.2.3", 18089});
  INFO((slice.ok() ? "" : slice.error().message()));
  REQUIRE(slice.ok());
  const std::string expected =
      std::string(R"({"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","metadata":{)") +
      R"("name":")" + kName + R"(","namespace":"shop","labels":{)" + kLabels +
      R"(,"endpointslice.kubernetes.io/managed-by":"certmill.io",)" +
      R"("kubernetes.io/service-name":")" + kName + R"("},)" + kOwner +
      R"(},"addressType":"IPv4","endpoints":[{"addresses":["10.1.2.3"],)"
      R"("conditions":{"ready":true}}],"ports":[{"name":"http","protocol":"TCP","port":18089}]})";
  CHECK(test::canonical_json(api::encode(*slice)) == test::canonical_json(expected));
  // The encoded slice decodes back to the same object.
  auto decoded = api::decode<api::EndpointSlice>(api::encode(*slice));
  REQUIRE(decoded.ok());
  CHECK(*decoded == *slice);
}

TEST_CASE("the address family follows POD_IP, and a POD_IP that is no address is an error") {
  CHECK(solvers::address_type("10.0.0.1") == "IPv4");
  CHECK(solvers::address_type("fd00::12") == "IPv6");
  CHECK(solvers::address_type("::ffff:10.0.0.1") == "IPv6");
  CHECK_FALSE(solvers::address_type(""));
  CHECK_FALSE(solvers::address_type("certmill-0"));
  CHECK_FALSE(solvers::address_type("10.0.0.256"));
  auto v6 = solvers::build_solver_endpoint_slice(test::ingress_challenge(), {"fd00::12", 8089});
  REQUIRE(v6.ok());
  CHECK(v6->address_type == "IPv6");
  auto bad = solvers::build_solver_endpoint_slice(test::ingress_challenge(), {"pod-a", 8089});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message() ==
        "POD_IP \"pod-a\" is not an IP address; the HTTP-01 EndpointSlice needs the pod's own "
        "address");
}

TEST_CASE("solver Service names are stable, distinct and valid for any Challenge name") {
  api::Challenge a = test::ingress_challenge();
  CHECK(solvers::solver_service_name(a) == kName);
  CHECK(solvers::solver_service_name(a) == solvers::solver_service_name(a));
  api::Challenge b = a;
  b.metadata.name = std::string(253, 'x');
  api::Challenge c = a;
  c.metadata.name = "www-example-com-1-3677445741-2690577497";
  for (const api::Challenge* ch : {&a, &b, &c}) {
    INFO(ch->metadata.name);
    CHECK(dns1035_label(solvers::solver_service_name(*ch)));
  }
  CHECK(solvers::solver_service_name(a) != solvers::solver_service_name(b));
  CHECK(solvers::solver_service_name(a) != solvers::solver_service_name(c));
  const solvers::SolverService routed =
      solvers::challenge_service(a, solvers::SolverService{"certmill-acme-http01", "ns", 8090});
  CHECK(routed.name == kName);
  CHECK(routed.namespace_.empty());  // the Challenge's own namespace
  CHECK(routed.port == 8090);
}

TEST_CASE("a new leader keeps its own slices, updates stale ones, recreates across families") {
  const api::Challenge challenge = test::ingress_challenge();
  auto mine = solvers::build_solver_endpoint_slice(challenge, {"10.0.0.7", 8089});
  REQUIRE(mine.ok());
  mine->metadata.uid = "slice-uid";
  mine->metadata.resource_version = "41";

  auto same = solvers::repoint_plan(*mine, {"10.0.0.7", 8089});
  REQUIRE(same.ok());
  CHECK(same->action == RepointPlan::Action::Keep);

  auto moved = solvers::repoint_plan(*mine, {"10.0.0.9", 8089});
  REQUIRE(moved.ok());
  CHECK(moved->action == RepointPlan::Action::Update);
  CHECK(moved->slice.endpoints.size() == 1);
  CHECK(moved->slice.endpoints.at(0).addresses == std::vector<std::string>{"10.0.0.9"});
  CHECK(moved->slice.metadata == mine->metadata);  // an update of the same object

  auto other_port = solvers::repoint_plan(*mine, {"10.0.0.7", 9000});
  REQUIRE(other_port.ok());
  CHECK(other_port->action == RepointPlan::Action::Update);
  CHECK(other_port->slice.ports.at(0).port == 9000);

  // A slice someone edited to hold two endpoints goes back to the leader alone.
  api::EndpointSlice crowded = *mine;
  crowded.endpoints.push_back(api::Endpoint{{"10.0.0.8"}, {true}});
  auto trimmed = solvers::repoint_plan(crowded, {"10.0.0.7", 8089});
  REQUIRE(trimmed.ok());
  CHECK(trimmed->action == RepointPlan::Action::Update);
  CHECK(trimmed->slice.endpoints.size() == 1);

  auto v6 = solvers::repoint_plan(*mine, {"fd00::9", 8089});
  REQUIRE(v6.ok());
  CHECK(v6->action == RepointPlan::Action::Recreate);
  CHECK(v6->slice.address_type == "IPv6");
  CHECK(v6->slice.metadata.uid.empty());
  CHECK(v6->slice.metadata.resource_version.empty());
  CHECK(v6->slice.metadata.name == mine->metadata.name);
  CHECK(v6->slice.metadata.owner_references == mine->metadata.owner_references);

  CHECK_FALSE(solvers::repoint_plan(*mine, {"", 8089}).ok());
  CHECK(solvers::managed_slices_selector() == "endpointslice.kubernetes.io/managed-by=certmill.io");
}
