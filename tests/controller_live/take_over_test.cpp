// Taking over from cert-manager: certmill started over a cluster that
// cert-manager's controller ran (objects written in cert-manager's shapes,
// tools/fleet/cert_manager_state) adopts every issued Certificate as it is:
// no re-issuance, and no write at all to a Ready Certificate, its Secret,
// its CertificateRequest or the ClusterIssuer. A Certificate cert-manager
// never issued, beside them, shows that the count sees certmill's writes.
#include <catch2/catch.hpp>

#include "tests/controller_live/harness.hpp"
#include "tests/controller_live/manifests.hpp"
#include "tests/k8s_live/live.hpp"
#include "tools/fleet/cert_manager_state.hpp"

using namespace certmill;
using namespace certmill::test;

namespace {

std::string namespace_yaml(const std::string& name) {
  return "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + name + "\n";
}

}  // namespace

TEST_CASE("certmill adopts what cert-manager issued without a write") {
  ControllerHarness h({}, /*start_now=*/false);
  for (const char* ns : {"taken", "control"})
    h.apply(namespace_yaml(ns));

  const Time now = std::chrono::floor<std::chrono::seconds>(h.clock().now());
  auto ca = fleet::make_cert_manager_ca(now);
  REQUIRE(ca);
  constexpr int kTaken = 12;
  {
    reactor::Reactor reactor(1);
    reactor.start();
    auto client = make_client(reactor.shard(0), client_config(h.sim()));
    const fleet::CertManagerFleet taken{.certificates = kTaken, .namespaces = {"taken"}};
    auto written = run_on(reactor.shard(0), [&] {
      return fleet::write_cert_manager_fleet(client->http(), *ca, taken, now);
    });
    INFO((written ? "" : written.error().message()));
    REQUIRE(written);
  }
  // One Certificate cert-manager had not issued yet: certmill must write for it.
  h.apply(R"(apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: fresh
  namespace: control
spec:
  secretName: fresh-tls
  dnsNames: [fresh.control.example.com]
  issuerRef: {name: cm-ca, kind: ClusterIssuer, group: cert-manager.io}
  privateKey: {algorithm: ECDSA, size: 256}
)");

  const auto before = h.writes();
  const long control_before = h.writes_in("control");
  const long taken_before = h.writes_in("taken");
  const long ca_before = h.writes_in("kube-system");
  // The setup's own writes are counted, so the counts below can see writes.
  REQUIRE(taken_before >= 4 * kTaken);
  h.start();
  REQUIRE(h.wait_ready("control", "fresh"));
  REQUIRE(h.wait_settled(kTaken + 1));
  for (int i = 0; i < kTaken; ++i)
    CHECK(h.condition(
              "/apis/cert-manager.io/v1/namespaces/taken/certificates/web-" + std::to_string(i),
              "Ready") == "True");
  const auto after = h.writes();
  const long control = h.writes_in("control") - control_before;
  CHECK(control > 0);
  CHECK(h.writes_in("taken") == taken_before);
  CHECK(h.writes_in("kube-system") == ca_before);
  // Every write and Event of the run was for the Certificate in "control".
  CHECK((after.objects - before.objects) + (after.events - before.events) == control);
}
