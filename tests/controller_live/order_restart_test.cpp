// Orders in flight when the controller stops: a graceful stop leaves each
// request pending and its Order's URL in place, and the next controller
// continues every order from that URL, placing no second newOrder. The
// orders are caught mid-flight by holding the fake clock their polls wait on.
#include <chrono>
#include <set>
#include <string>
#include <thread>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "tests/controller_live/acme_front_manifests.hpp"
#include "tests/controller_live/harness.hpp"
#include "tests/support/acme_front.hpp"
#include "tests/support/pebble.hpp"
#include "tests/support/wait.hpp"

using namespace certmill;
using namespace certmill::test;

namespace {

constexpr int kCertificates = 40;

// Items of a list in "shop" whose status field `field` equals `value` (any
// value when empty, as long as it is set).
int count_with(ControllerHarness& h, const std::string& path, const char* field,
               const std::string& value = {}) {
  auto list = h.get(path);
  int n = 0;
  for (const auto& item : list->as_object().at("items").as_array()) {
    const auto* status = item.as_object().if_contains("status");
    const auto* v =
        status && status->is_object() ? status->as_object().if_contains(field) : nullptr;
    const bool set = v && ((v->is_string() && !v->as_string().empty()) || v->is_int64());
    if (set && (value.empty() || (v->is_string() && v->as_string() == value)))
      ++n;
  }
  return n;
}

// The URLs of the Orders certmill recorded: the orders the CA created for
// it. (acme-front's newOrder request count also counts Pebble's badNonce
// refusals, which the client sends again.)
std::set<std::string> order_urls(ControllerHarness& h) {
  auto list = h.get("/apis/acme.cert-manager.io/v1/namespaces/shop/orders");
  std::set<std::string> urls;
  for (const auto& item : list->as_object().at("items").as_array()) {
    const auto* status = item.as_object().if_contains("status");
    const auto* url = status ? status->as_object().if_contains("url") : nullptr;
    if (url && url->is_string())
      urls.insert(std::string(url->as_string()));
  }
  return urls;
}

}  // namespace

TEST_CASE("orders in flight at a stop are continued by the next controller, not ordered again") {
  Pebble pebble(PebbleOptions::always_valid_on_loopback());
  AcmeFront front(pebble,
                  {"--new-orders-per-account=0", "--certificates-per-domain=0",
                   "--certificates-per-exact-set=0", "--failed-authorizations-per-identifier=0"});
  ControllerHarness h(resolving_with(pebble.dns_port), true, "127.0.0.1:0");
  h.apply(acme_front_issuer(front, "le", "le-account") +
          shop_certificates("app", kCertificates, "le"));
  const std::string orders = "/apis/acme.cert-manager.io/v1/namespaces/shop/orders";
  // The clock holds still: every order is placed, then waits on its first poll.
  REQUIRE(eventually([&] { return count_with(h, orders, "url") == kCertificates; },
                     std::chrono::seconds(60)));
  const auto placed = order_urls(h);
  REQUIRE(placed.size() == kCertificates);
  h.stop();
  INFO(front.get("/stats").body);
  // Nothing ended: no request Failed, no Order marked errored by the stop.
  CHECK(h.count_condition("/apis/cert-manager.io/v1/namespaces/shop/certificaterequests", "Ready",
                          "False", "Failed") == 0);
  CHECK(count_with(h, orders, "state", "errored") == 0);
  // Each order's key waits in a Secret of its own for the next controller.
  const std::string kept_keys =
      "/api/v1/namespaces/shop/secrets?labelSelector=cert-manager.io%2Fnext-private-key%3Dtrue";
  const auto kept = h.get(kept_keys)->as_object().at("items").as_array().size();
  CHECK(kept > 0);
  CHECK(kept <= kCertificates);

  h.start();
  const bool all_ready = eventually_moving_clock(h, [&] {
    return count_with(h, "/apis/cert-manager.io/v1/namespaces/shop/certificates", "revision") ==
           kCertificates;
  });
  REQUIRE(all_ready);
  // The same orders, continued: no Order has another URL, none was added.
  CHECK(order_urls(h) == placed);
  CHECK(h.count_condition("/apis/cert-manager.io/v1/namespaces/shop/certificaterequests", "Ready",
                          "False", "Failed") == 0);
  // No order failed or errored, and the counts see real work. (An Order
  // whose last status write the stop cut off may still say pending, its
  // certificate issued and stored all the same: seen under the sanitizers.)
  CHECK(count_with(h, orders, "state", "valid") > 0);
  CHECK(count_with(h, orders, "state", "invalid") == 0);
  CHECK(count_with(h, orders, "state", "errored") == 0);
  // And the kept keys are gone with the issuances that needed them.
  const bool dropped =
      eventually([&] { return h.get(kept_keys)->as_object().at("items").as_array().empty(); });
  INFO(boost::json::serialize(*h.get(kept_keys)));
  CHECK(dropped);
}
