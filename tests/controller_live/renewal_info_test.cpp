// The CA's renewal information, asked as a CA would want: after a restart
// every ACME Certificate asks again, and the questions go five a second per
// shard, not in one burst (the fake clock holds still: only the pace's first
// second goes, then the rest as it moves). And a window the CA explains
// (explanationURL) is shown on the Certificate in an Event.
#include <chrono>
#include <string>
#include <thread>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "core/time.hpp"
#include "tests/controller_live/acme_front_manifests.hpp"
#include "tests/controller_live/harness.hpp"
#include "tests/support/acme_front.hpp"
#include "tests/support/pebble.hpp"

using namespace certmill;
using namespace certmill::test;

namespace {

constexpr int kCertificates = 30;
const std::string kList = "/apis/cert-manager.io/v1/namespaces/shop/certificates";

struct Ca {
  Pebble pebble{PebbleOptions::always_valid_on_loopback()};
  AcmeFront front{pebble};
  ControllerHarness h{resolving_with(pebble.dns_port), true, "127.0.0.1:0"};
};

}  // namespace

TEST_CASE("after a restart, renewal information is asked at a pace, not in a burst") {
  Ca ca;
  auto& [pebble, front, h] = ca;
  h.apply(acme_front_issuer(front, "le", "le-account") +
          shop_certificates("ari", kCertificates, "le"));
  REQUIRE(eventually_moving_clock(
      h, [&] { return h.count_condition(kList, "Ready", "True") == kCertificates; }));
  REQUIRE(eventually_moving_clock(
      h, [&] { return front.stat("requests", "renewalInfo") >= kCertificates; }));

  h.stop();
  h.start();
  const auto before = front.stat("requests", "renewalInfo");
  // The clock holds still: each of the two shards asks its first second's
  // five, and no more, however long it waits.
  std::this_thread::sleep_for(std::chrono::seconds(3));
  const auto burst = front.stat("requests", "renewalInfo") - before;
  CHECK(burst > 0);
  CHECK(burst <= 10);
  // As it moves, the rest are asked, every one.
  CHECK(eventually_moving_clock(
      h, [&] { return front.stat("requests", "renewalInfo") - before >= kCertificates; }));
}

TEST_CASE("a renewal window the CA explains is shown on the Certificate in an Event") {
  Ca ca;
  auto& [pebble, front, h] = ca;
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const std::string start = format_time(now + std::chrono::days(10));
  const std::string end = format_time(now + std::chrono::days(11));
  front.must_post("/renewal-window",
                  R"({"start": ")" + start + R"(", "end": ")" + end +
                      R"(", "explanationURL": "https://ca.example/incident-42"})");
  h.apply(acme_front_issuer(front, "le", "le-account") + shop_certificates("told", 1, "le"));
  const bool explained = eventually_moving_clock(h, [&] {
    for (const std::string& event : h.events_for("shop", "told-0"))
      if (event.starts_with("Warning RenewalExplained: "))
        return true;
    return false;
  });
  INFO(front.get("/stats").body);
  REQUIRE(explained);
  std::string said;
  for (const std::string& event : h.events_for("shop", "told-0"))
    if (event.starts_with("Warning RenewalExplained: "))
      said = event;
  CHECK_THAT(said, Catch::Contains("between " + start + " and " + end));
  CHECK_THAT(said, Catch::Contains("explains why at https://ca.example/incident-42"));
}

TEST_CASE("the CA's answer is kept in status.acme.ari: written when it changes, not on each check",
          "[ari]") {
  Ca ca;
  auto& [pebble, front, h] = ca;
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  auto window = [&](int from_day) {
    front.must_post("/renewal-window",
                    R"({"start": ")" + format_time(now + std::chrono::days(from_day)) +
                        R"(", "end": ")" + format_time(now + std::chrono::days(from_day + 1)) +
                        R"("})");
  };
  window(10);
  h.apply(acme_front_issuer(front, "le", "le-account") + shop_certificates("kept", 1, "le"));
  const std::string path = kList + "/kept-0";
  auto ari = [&]() -> boost::json::object {
    auto crt = h.get(path);
    const auto* status = crt ? crt->as_object().if_contains("status") : nullptr;
    const auto* acme = status ? status->as_object().if_contains("acme") : nullptr;
    const auto* found = acme ? acme->as_object().if_contains("ari") : nullptr;
    return found ? found->as_object() : boost::json::object{};
  };
  REQUIRE(eventually_moving_clock(h, [&] { return !ari().empty(); }));
  const boost::json::object first = ari();
  INFO(boost::json::serialize(first));
  // RFC 9773's CertID: base64url AKI "." base64url serial.
  CHECK(first.at("certID").as_string().find('.') != boost::json::string::npos);
  CHECK(first.at("suggestedWindow").at("start").as_string() ==
        format_time(now + std::chrono::days(10)));
  CHECK(first.at("suggestedWindow").at("end").as_string() ==
        format_time(now + std::chrono::days(11)));
  const auto last_checked = parse_rfc3339(std::string(first.at("lastChecked").as_string()));
  const auto next_check = parse_rfc3339(std::string(first.at("nextCheck").as_string()));
  REQUIRE(last_checked);
  REQUIRE(next_check);
  CHECK(*next_check > *last_checked);

  // Asked again after the CA's Retry-After, the same answer: not written.
  const auto asked = front.stat("requests", "renewalInfo");
  h.clock().advance(std::chrono::hours(7));
  REQUIRE(
      eventually_moving_clock(h, [&] { return front.stat("requests", "renewalInfo") > asked; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(ari() == first);

  // A moved window is written at the next check (the count above sees a
  // change when there is one).
  window(12);
  const auto asked_again = front.stat("requests", "renewalInfo");
  h.clock().advance(std::chrono::hours(7));
  REQUIRE(eventually_moving_clock(h, [&] {
    return front.stat("requests", "renewalInfo") > asked_again &&
           ari().at("suggestedWindow").at("start").as_string() ==
               format_time(now + std::chrono::days(12));
  }));
  CHECK(ari().at("certID") == first.at("certID"));
  CHECK(*parse_rfc3339(std::string(ari().at("lastChecked").as_string())) > *last_checked);
}
