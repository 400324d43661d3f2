// 300 Certificates through acme-front with Let's Encrypt's limits scaled
// down (60 new orders an hour per account, 20 certificates per registered
// domain every two hours) on moved clocks, certmill not told them: 40 of
// the Certificates are on one registered domain, the rest on 26 domains of
// ten. Every one is Ready in the time the new-order limit allows (60 at
// once, then one a minute: 240 minutes), the busy domain's wait holds back
// no other, and certmill meets each limit at most once before it learns it.
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "tests/controller_live/acme_front_manifests.hpp"
#include "tests/controller_live/harness.hpp"
#include "tests/controller_live/logged.hpp"
#include "tests/support/acme_front.hpp"
#include "tests/support/pebble.hpp"

using namespace certmill;
using namespace certmill::test;

namespace {

constexpr int kCertificates = 300;
constexpr int kOnBusyDomain = 40;
const std::string kList = "/apis/cert-manager.io/v1/namespaces/shop/certificates";

// c-I for cI.busy.com, or cI.shopK.com, ten to a shop.
std::string certificates() {
  std::string yaml;
  for (int i = 0; i < kCertificates; ++i) {
    const std::string name = "c" + std::to_string(i);
    const std::string domain =
        i < kOnBusyDomain ? "busy.com" : "shop" + std::to_string((i - kOnBusyDomain) / 10) + ".com";
    yaml += "---\napiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: " + name +
            "\n  namespace: shop\nspec:\n  secretName: " + name + "-tls\n  dnsNames: [" + name +
            "." + domain +
            "]\n  privateKey:\n    algorithm: ECDSA\n  issuerRef:\n    name: scaled\n"
            "    kind: ClusterIssuer\n";
  }
  return yaml;
}

}  // namespace

TEST_CASE("300 Certificates under scaled limits are Ready in the least time, with a 429 a limit") {
  Pebble pebble(PebbleOptions::always_valid_on_loopback());
  AcmeFront front(pebble, {"--new-orders-per-account=60/1h", "--certificates-per-domain=20/2h"});
  ControllerHarness h(resolving_with(pebble.dns_port), true, "127.0.0.1:0");
  h.apply(acme_front_issuer(front, "scaled", "scaled-account") + certificates());
  // Both clocks on by 4 s every 8 ms (within the 5 s of skew
  // certmill allows a CA), for at most six simulated hours.
  int minutes = -1;
  int progress = 0;
  for (int step = 0; step < 6 * 3600 / 4; ++step) {
    if (step % 15 == 0) {
      progress = h.count_condition(kList, "Ready", "True");
      if (progress == kCertificates) {
        minutes = step * 4 / 60;
        break;
      }
      if (step % 900 == 0)
        std::printf("  %d/%d Ready after %d simulated minutes\n", progress, kCertificates,
                    step * 4 / 60);
    }
    front.must_post("/clock", R"({"advance_seconds":4})");
    h.clock().advance(std::chrono::seconds(4));
    std::this_thread::sleep_for(std::chrono::milliseconds(8));
  }
  INFO(front.get("/stats").body);
  INFO(progress << " Ready");
  if (minutes < 0)
    for (const auto& [name, status] : h.not_at(kList, "Ready", "True")) {
      std::printf("not Ready: %s %s\n", name.c_str(), status.c_str());
      for (const std::string& line : story_of(name))
        std::printf("  %s\n", line.c_str());
    }
  REQUIRE(minutes >= 0);
  std::printf("300 Ready after %d simulated minutes\n", minutes);
  CHECK(front.stat("certificates_issued") == kCertificates);
  // Each limit met once at most, and learned from the CA's detail then: the
  // new-order limit is met (the 61st order in the burst), and the busy
  // domain's the same way.
  CHECK(front.stat("rate_limited", "new-orders-per-account") <= 1);
  CHECK(front.stat("rate_limited", "certificates-per-domain") <= 1);
  CHECK(front.stat("rate_limited", "new-orders-per-account") +
            front.stat("rate_limited", "certificates-per-domain") >=
        1);
  // 60 at once, then one a minute for the other 240: the new-order limit
  // sets the pace, and the busy domain's twenty waiting (one every six
  // minutes, after the hour certmill leaves for the CA's count at issuance)
  // finish within it. A few minutes over for the 429's Retry-After, and for
  // a controller slower than the moving clock (the sanitizer build's).
  CHECK(minutes >= 240);
  CHECK(minutes <= 240 + 20);
}
