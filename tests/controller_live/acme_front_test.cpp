// ACME renewals through acme-front (Let's Encrypt's limits and renewalInfo in
// front of Pebble), with the controller: the CA's suggested window sets
// status.renewalTime, and the renewal order names the certificate it
// replaces, so it is issued although the account's new-order budget is spent.
#include "tests/support/acme_front.hpp"

#include <chrono>
#include <thread>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "core/acme/ari.hpp"
#include "core/time.hpp"
#include "tests/controller_live/acme_front_manifests.hpp"
#include "tests/controller_live/harness.hpp"
#include "tests/support/pebble.hpp"

using namespace certmill;
using namespace certmill::test;

namespace {

const std::string kCertificate = "/apis/cert-manager.io/v1/namespaces/shop/certificates/renewed";

std::string status_field(ControllerHarness& h, const char* field) {
  auto crt = h.get(kCertificate);
  const auto* status = crt->as_object().if_contains("status");
  const auto* value = status ? status->as_object().if_contains(field) : nullptr;
  if (!value)
    return {};
  return value->is_string() ? std::string(value->as_string()) : boost::json::serialize(*value);
}

std::string window_json(Time start, Time end) {
  return R"({"start":")" + format_time(start) + R"(","end":")" + format_time(end) + R"("})";
}

// What the test saw, for a failure's message.
std::string seen(ControllerHarness& h, AcmeFront& front) {
  return boost::json::serialize(*h.get(kCertificate)) + "\n" + front.get("/stats").body + "\n" +
         boost::json::serialize(*h.get("/apis/acme.cert-manager.io/v1/namespaces/shop/orders"));
}

}  // namespace

TEST_CASE("renewal follows the CA's window and replaces the old certificate past the limit") {
  PebbleOptions options;
  options.always_valid = true;
  options.resolve_to_loopback = true;  // for certmill's self-check
  Pebble pebble(options);
  // One new order per account: the first issuance spends it.
  AcmeFront front(pebble, {"--new-orders-per-account=1/3h"});
  ControllerHarness h(resolving_with(pebble.dns_port), true, "127.0.0.1:0");
  const Time now = std::chrono::floor<std::chrono::seconds>(h.clock().now());
  // Far enough ahead that the first issuance's polls, a second of fake time
  // each, never reach it.
  const Time start = now + std::chrono::hours(1), end = now + std::chrono::hours(2);
  front.must_post("/renewal-window", window_json(start, end));
  h.apply(acme_front_manifests(front, "renewed"));

  // Issued, then advised: status.renewalTime moves into the CA's window.
  {
    const bool advised = eventually_moving_clock(h, [&] {
      const std::string renewal = status_field(h, "renewalTime");
      if (renewal.empty())
        return false;
      auto at = parse_rfc3339(renewal);
      return at && *at >= start && *at < end;
    });
    INFO(seen(h, front));
    REQUIRE(advised);
    CHECK(status_field(h, "revision") == "1");
  }
  // The window stays this certificate's own; the one that replaces it is
  // advised a month on, as a CA advises a fresh certificate.
  auto first = certmill::acme::ari_cert_id(h.secret_data("shop", "renewed-tls", "tls.crt"));
  REQUIRE(first);
  front.must_post("/renewal-window",
                  R"({"certID":")" + *first + R"(",)" + window_json(start, end).substr(1));
  front.must_post("/renewal-window",
                  window_json(now + std::chrono::days(30), now + std::chrono::days(31)));

  // Past the window on both clocks: the renewal goes out with `replaces`.
  const auto past_window = end + std::chrono::minutes(1) - h.clock().now();
  h.clock().advance(past_window);
  front.must_post(
      "/clock",
      R"({"advance_seconds": )" +
          std::to_string(std::chrono::duration_cast<std::chrono::seconds>(past_window).count()) +
          "}");
  const bool renewed = eventually_moving_clock(h, [&] {
    return status_field(h, "revision") == "2" && h.condition(kCertificate, "Ready") == "True";
  });
  INFO(seen(h, front));
  REQUIRE(renewed);
  const auto stats = boost::json::parse(front.get("/stats").body);
  CHECK(stats.at("orders_with_replaces").to_number<int>() == 1);
  CHECK(stats.at("rate_limited").as_object().empty());
  CHECK(stats.at("certificates_issued").to_number<int>() == 2);
  CHECK(status_field(h, "renewalTime") >= format_time(now + std::chrono::days(30)));
}
