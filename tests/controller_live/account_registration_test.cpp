// One newAccount per ACME account in the process: three ClusterIssuers that
// share a key, Certificates on both shards, and acme-front counts a single
// registration (Pebble refuses no nonce here, so no request is sent twice).
// A restarted controller is a new process and registers once more: the
// count sees a second one.
#include <set>
#include <string>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "controller/runtime/caches.hpp"
#include "tests/controller_live/acme_front_manifests.hpp"
#include "tests/controller_live/harness.hpp"
#include "tests/support/acme_front.hpp"
#include "tests/support/pebble.hpp"

using namespace certmill;
using namespace certmill::test;

namespace {

// A namespace per shard of the harness's two, and a Certificate in each from
// each of the issuers.
std::string certificates(const std::vector<std::string>& issuers) {
  std::set<unsigned> shards;
  std::string yaml;
  int made = 0;
  for (int i = 0; shards.size() < 2; ++i) {
    const std::string ns = "team-" + std::to_string(i);
    if (!shards.insert(controller::owner_shard(ns + "/x", 2)).second)
      continue;
    yaml += "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + ns + "\n";
    for (const std::string& issuer : issuers) {
      const std::string name = "c" + std::to_string(made++);
      yaml += "---\napiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: " + name +
              "\n  namespace: " + ns + "\nspec:\n  secretName: " + name + "-tls\n  dnsNames: [" +
              name + ".example.com]\n  issuerRef:\n    name: " + issuer +
              "\n    kind: ClusterIssuer\n";
    }
  }
  return yaml;
}

}  // namespace

TEST_CASE("Issuers that share an ACME key register it once in the process") {
  PebbleOptions options = PebbleOptions::always_valid_on_loopback();
  options.nonce_reject = 0;
  Pebble pebble(options);
  AcmeFront front(pebble);
  ControllerHarness h(resolving_with(pebble.dns_port), true, "127.0.0.1:0");
  h.apply(acme_front_issuer(front, "le-1", "shared-account") +
          acme_front_cluster_issuer(front, "le-2", "shared-account") +
          acme_front_cluster_issuer(front, "le-3", "shared-account") +
          certificates({"le-1", "le-2", "le-3"}));
  REQUIRE(eventually_moving_clock(h, [&] {
    return h.count_condition("/apis/cert-manager.io/v1/certificates", "Ready", "True") == 6;
  }));
  for (const char* issuer : {"le-1", "le-2", "le-3"})
    CHECK(h.condition(std::string("/apis/cert-manager.io/v1/clusterissuers/") + issuer, "Ready") ==
          "True");
  INFO(front.get("/stats").body);
  CHECK(front.stat("requests", "newAccount") == 1);

  h.stop();
  h.start();
  h.apply(
      "apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: later\n"
      "  namespace: shop\nspec:\n  secretName: later-tls\n  dnsNames: [later.example.com]\n"
      "  issuerRef:\n    name: le-2\n    kind: ClusterIssuer\n");
  REQUIRE(eventually_moving_clock(h, [&] {
    return h.count_condition("/apis/cert-manager.io/v1/certificates", "Ready", "True") == 7;
  }));
  CHECK(front.stat("requests", "newAccount") == 2);
}
