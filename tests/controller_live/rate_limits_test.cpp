// The controller against acme-front's Let's Encrypt limits, scaled down to
// five new orders an hour, with both clocks moved together: told the limits
// (certmill.io/rate-limits), certmill orders twelve Certificates in the least
// time the limit allows without one 429; not told, it meets the limit once,
// learns it from the CA's detail, and meets it no more. A restart keeps
// both what the CA closed and what the orders before it spent.
#include <chrono>
#include <string>
#include <thread>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "tests/controller_live/acme_front_manifests.hpp"
#include "tests/controller_live/harness.hpp"
#include "tests/support/acme_front.hpp"
#include "tests/support/pebble.hpp"

using namespace certmill;
using namespace certmill::test;

namespace {

constexpr int kCertificates = 12;

std::string manifests(const AcmeFront& front, const std::string& annotation) {
  return acme_front_issuer(front, "limited", "limited-account", annotation) +
         shop_certificates("site", kCertificates, "limited");
}

// How many of the Certificates prefix-0 .. prefix-(count-1) are Ready.
int ready(ControllerHarness& h, const std::string& prefix = "site", int count = kCertificates) {
  int n = 0;
  for (int i = 0; i < count; ++i) {
    if (h.condition("/apis/cert-manager.io/v1/namespaces/shop/certificates/" + prefix + "-" +
                        std::to_string(i),
                    "Ready") == "True")
      ++n;
  }
  return n;
}

// Moves the front's clock and certmill's by 4 s every 5 ms until all are
// Ready (at most five simulated hours); the minutes it took. Between the two
// moves the clocks are 4 s apart, within the 5 s of skew certmill allows a
// CA's clock; a minute apart, an order sent then would be counted by the CA
// a minute after certmill counts it, and the next one refused.
int run_until_ready(ControllerHarness& h, const AcmeFront& front,
                    const std::string& prefix = "site", int count = kCertificates) {
  for (int step = 0; step < 5 * 3600 / 4; ++step) {
    if (step % 15 == 0 && ready(h, prefix, count) == count)
      return step * 4 / 60;
    front.must_post("/clock", R"({"advance_seconds":4})");
    h.clock().advance(std::chrono::seconds(4));
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return -1;
}

// Pebble behind acme-front at five new orders an hour, and a controller.
struct LimitedCa {
  Pebble pebble{PebbleOptions::always_valid_on_loopback()};
  AcmeFront front{pebble, {"--new-orders-per-account=5/1h"}};
  ControllerHarness h{resolving_with(pebble.dns_port), true, "127.0.0.1:0"};
};

}  // namespace

TEST_CASE("told the CA's limits, the controller spends them without a 429") {
  LimitedCa ca;
  auto& [pebble, front, h] = ca;
  h.apply(manifests(front, "new-orders-per-account=5/1h"));
  const int minutes = run_until_ready(h, front);
  INFO(front.get("/stats").body);
  REQUIRE(minutes >= 0);
  CHECK(front.stat("rate_limited", "new-orders-per-account") == 0);
  CHECK(front.stat("requests", "newOrder") >= kCertificates);
  CHECK(front.stat("certificates_issued") == kCertificates);
  // Five at once, then one every 12 minutes: the seventh after the burst
  // waited 84 minutes, and not much more.
  CHECK(minutes >= 84);
  CHECK(minutes <= 84 + 30);
}

TEST_CASE("not told, the controller meets a limit once and learns it from the CA") {
  LimitedCa ca;
  auto& [pebble, front, h] = ca;
  h.apply(manifests(front, ""));
  const int minutes = run_until_ready(h, front);
  INFO(front.get("/stats").body);
  REQUIRE(minutes >= 0);
  // The count sees the one refusal, and no second one.
  CHECK(front.stat("rate_limited", "new-orders-per-account") == 1);
  CHECK(front.stat("certificates_issued") == kCertificates);
  // No Certificate fell into the failure backoff (an hour and more): none
  // records a failed issuance.
  for (int i = 0; i < kCertificates; ++i) {
    auto crt =
        h.get("/apis/cert-manager.io/v1/namespaces/shop/certificates/site-" + std::to_string(i));
    REQUIRE(crt);
    const auto* status =
        crt->as_object().at("status").as_object().if_contains("failedIssuanceAttempts");
    CHECK((status == nullptr || status->is_null()));
  }
}

TEST_CASE("a restart within the CA's Retry-After sends no newOrder before it ends") {
  LimitedCa ca;
  auto& [pebble, front, h] = ca;
  h.apply(manifests(front, ""));
  // Five go, the sixth meets the limit: the closing is kept on the account
  // key's Secret.
  const std::string key_secret = "/api/v1/namespaces/kube-system/secrets/limited-account";
  auto closing = [&] {
    auto secret = h.get(key_secret);
    const auto* meta = secret ? secret->as_object().if_contains("metadata") : nullptr;
    const auto* annotations = meta ? meta->as_object().if_contains("annotations") : nullptr;
    const auto* kept = annotations && annotations->is_object()
                           ? annotations->as_object().if_contains("certmill.io/rate-limit-closings")
                           : nullptr;
    return kept ? std::string(kept->as_string()) : std::string();
  };
  const bool kept = eventually([&] { return !closing().empty(); }, std::chrono::seconds(60));
  REQUIRE(kept);
  CHECK_THAT(closing(), Catch::Contains("new-orders-per-account "));
  REQUIRE(front.stat("rate_limited", "new-orders-per-account") == 1);

  h.stop();
  h.start();
  const auto before = front.stat("requests", "newOrder");
  // Ten minutes on, still inside the CA's twelve: the new controller sends
  // nothing, where one that forgot would have met the limit again.
  for (int step = 0; step < 10 * 15; ++step) {
    front.must_post("/clock", R"({"advance_seconds":4})");
    h.clock().advance(std::chrono::seconds(4));
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  CHECK(front.stat("requests", "newOrder") == before);
  CHECK(front.stat("rate_limited", "new-orders-per-account") == 1);
  const int minutes = run_until_ready(h, front);
  INFO(front.get("/stats").body);
  REQUIRE(minutes >= 0);
  CHECK(front.stat("certificates_issued") == kCertificates);
  // Once it ended, the same closing met again by an order would show here:
  // the limit, learned anew, let the rest through without another 429.
  CHECK(front.stat("rate_limited", "new-orders-per-account") <= 2);
}

TEST_CASE("a restarted controller counts the orders placed before it and meets no 429") {
  LimitedCa ca;
  auto& [pebble, front, h] = ca;
  h.apply(acme_front_issuer(front, "limited", "limited-account", "new-orders-per-account=5/1h") +
          shop_certificates("site", 5, "limited"));
  // The whole burst: five orders, five certificates.
  const int burst = run_until_ready(h, front, "site", 5);
  REQUIRE(burst >= 0);
  const auto orders = h.get("/apis/acme.cert-manager.io/v1/namespaces/shop/orders");
  REQUIRE(orders);
  for (const auto& order : orders->as_object().at("items").as_array())
    CHECK(order.at("metadata").at("labels").as_object().contains("certmill.io/acme-account"));

  h.stop();
  h.start();
  h.apply(shop_certificates("more", 2, "limited"));
  // The clocks hold still: a controller that forgot the five would order at
  // once and meet the limit (the front counts 429s: the test above sees one).
  const auto before = front.stat("requests", "newOrder");
  std::this_thread::sleep_for(std::chrono::seconds(3));
  CHECK(front.stat("requests", "newOrder") == before);
  CHECK(front.stat("rate_limited", "new-orders-per-account") == 0);
  // Twelve minutes after the burst the first token is back, and both go in
  // turn (the minutes are counted whole, so one may be lost to rounding).
  const int minutes = run_until_ready(h, front, "more", 2);
  INFO(front.get("/stats").body);
  REQUIRE(minutes >= 0);
  CHECK(burst + minutes >= 11);
  CHECK(front.stat("rate_limited", "new-orders-per-account") == 0);
  CHECK(front.stat("certificates_issued") == 7);
}
