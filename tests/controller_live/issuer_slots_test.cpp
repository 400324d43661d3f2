// One issuer's stalled issuances hold no other issuer's Certificates back
// (the 1,000-Certificate fault storm found a throttled ACME account filling
// every issuance slot of its shard, and the CA bootstrap beside it waiting
// for ever). With two slots a shard, three ACME Certificates whose CA never
// answers an authorization read (acme-front: 503 to every one; their retries
// wait on the fake clock, which stands still) hold both of the ACME issuer's
// slots, and cert-manager's CA bootstrap and three leaves beside them are
// issued all the same.
#include <chrono>
#include <string>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "tests/controller_live/acme_front_manifests.hpp"
#include "tests/controller_live/harness.hpp"
#include "tests/controller_live/manifests.hpp"
#include "tests/support/acme_front.hpp"
#include "tests/support/pebble.hpp"
#include "tests/support/wait.hpp"

using namespace certmill;
using namespace certmill::test;

namespace {

bool ready(ControllerHarness& h, const std::string& name) {
  const auto crt = h.get("/apis/cert-manager.io/v1/namespaces/shop/certificates/" + name);
  if (!crt)
    return false;
  const auto* status = crt->as_object().if_contains("status");
  const auto* conditions = status ? status->as_object().if_contains("conditions") : nullptr;
  if (!conditions)
    return false;
  for (const auto& c : conditions->as_array())
    if (c.at("type").as_string() == "Ready" && c.at("status").as_string() == "True")
      return true;
  return false;
}

}  // namespace

TEST_CASE("an ACME issuer whose orders stall holds no CA issuer's Certificates back") {
  PebbleOptions options;
  options.always_valid = true;
  options.resolve_to_loopback = true;
  Pebble pebble(options);
  AcmeFront front(pebble,
                  {"--new-orders-per-account=0", "--certificates-per-domain=0",
                   "--certificates-per-exact-set=0", "--failed-authorizations-per-identifier=0"});
  front.must_post("/fault",
                  boost::json::serialize(boost::json::object{
                      {"kind", "authorization"},
                      {"status", 503},
                      {"content_type", "application/problem+json"},
                      {"body", R"({"type":"urn:ietf:params:acme:error:serverInternal"})"}}));
  controller::ControllerConfig config = resolving_with(pebble.dns_port);
  config.runtime.max_issuances = 2;
  ControllerHarness h(config, true, "127.0.0.1:0");
  h.apply(bootstrap_yaml("shop") + acme_front_cluster_issuer(front, "le", "le-account") +
          shop_certificates("acme", 3, "le"));
  // The ACME orders have begun and stall: both ACME slots are taken.
  REQUIRE(eventually([&] { return front.stat("faults", "authorization") >= 2; }));
  h.apply(leaf_yaml("shop", "ca-0", "ca-0.example.com") + "---\n" +
          leaf_yaml("shop", "ca-1", "ca-1.example.com") + "---\n" +
          leaf_yaml("shop", "ca-2", "ca-2.example.com"));

  CHECK(eventually(
      [&] {
        return ready(h, "my-selfsigned-ca") && ready(h, "ca-0") && ready(h, "ca-1") &&
               ready(h, "ca-2");
      },
      std::chrono::seconds(60)));
  // The ACME Certificates are still stalled: the count above saw other
  // issuances finish beside them, not after them.
  for (const char* name : {"acme-0", "acme-1", "acme-2"})
    CHECK_FALSE(ready(h, name));
  CHECK(front.stat("certificates_issued") == 0);
}
