// The 390-writes case (issue #19): a Certificate with `duration: -5h` was
// issued already expired and issued again at once, forever, spending the
// whole process's write budget. Now it ends Ready=False InvalidSpec after a
// few writes of its own, and a hundred good Certificates beside it converge.
#include <thread>

#include <catch2/catch.hpp>

#include "tests/controller_live/harness.hpp"
#include "tests/controller_live/manifests.hpp"

using namespace certmill;
using namespace certmill::test;

namespace {

const std::string kExpiredAtBirth = R"(apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: expired-at-birth
  namespace: alone
spec:
  secretName: expired-at-birth-tls
  duration: -5h
  dnsNames: [expired.example.com]
  issuerRef:
    name: selfsigned-issuer-apps
    kind: ClusterIssuer
    group: cert-manager.io
)";

}  // namespace

TEST_CASE("a Certificate whose spec can only fail writes a few times and holds up no one") {
  // The CRDs' own rules would refuse it: this is a cluster whose CRDs
  // predate them, where only the controller stands in the way.
  ControllerHarness h({}, true, {}, CrdRules::LeftOut);
  h.apply(bootstrap_yaml("apps"));
  h.apply("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: alone\n");
  REQUIRE(h.wait_ready("apps", "my-selfsigned-ca"));
  // The one bad Certificate lives alone in its namespace, so that kube-sim's
  // writes in it are its own (and the test's create).
  const long before = h.writes_in("alone");
  h.apply(kExpiredAtBirth);
  for (int i = 0; i < 100; ++i) {
    const std::string name = "web-" + std::to_string(i);
    h.apply(leaf_yaml("apps", name, name + ".example.com"));
  }
  for (int i = 0; i < 100; ++i)
    REQUIRE(h.wait_ready("apps", "web-" + std::to_string(i)));
  REQUIRE(h.wait_ready("alone", "expired-at-birth", "False", "InvalidSpec"));
  std::string message;
  h.condition("/apis/cert-manager.io/v1/namespaces/alone/certificates/expired-at-birth", "Ready",
              nullptr, &message);
  CHECK(message.find("spec.duration") != std::string::npos);

  // An hour of the controller's time, a minute every 20 ms: nothing more.
  for (int minute = 0; minute < 60; ++minute) {
    h.clock().advance(std::chrono::minutes(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  REQUIRE(h.wait_settled(102));
  const long own = h.writes_in("alone") - before - 1;  // less the test's create
  CHECK(own < 5);
  // The count sees its writes: the status that says why, and the Event.
  CHECK(own >= 2);
  CHECK_FALSE(h.get("/api/v1/namespaces/alone/secrets/expired-at-birth-tls"));
}
