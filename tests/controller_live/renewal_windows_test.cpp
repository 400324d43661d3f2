// spec.renewal end to end on kube-sim and the fake clock: a window in a
// non-UTC zone moves status.renewalTime to the window start the test computes
// on its own and renewal happens there; policy Disabled writes no renewal
// time and never renews by time, while RenewBefore beside it does; a window
// that cannot open before notAfter renews at the desired time with one
// WindowError Event, and Ready stays True.
#include <chrono>
#include <string>
#include <thread>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "core/time.hpp"
#include "tests/controller_live/harness.hpp"
#include "tests/controller_live/manifests.hpp"

using namespace certmill;
using namespace certmill::test;
using std::chrono::minutes;
using std::chrono::seconds;

namespace {

const std::string kCertificates = "/apis/cert-manager.io/v1/namespaces/apps/certificates/";
const std::string kRequests = "/apis/cert-manager.io/v1/namespaces/apps/certificaterequests/";

// 1h certificates due 50 minutes before expiry: 10 minutes after issuance.
const std::string kShortLived = "  duration: 1h\n  renewBefore: 50m\n";

std::optional<Time> status_time(ControllerHarness& h, const std::string& name,
                                const std::string& field) {
  auto crt = h.get(kCertificates + name);
  const auto* status = crt ? crt->as_object().if_contains("status") : nullptr;
  const auto* value = status ? status->as_object().if_contains(field) : nullptr;
  if (!value || !value->is_string())
    return std::nullopt;
  auto t = parse_rfc3339(std::string(value->as_string()));
  REQUIRE(t);
  return std::chrono::floor<seconds>(*t);
}

// How many times Events with `reason` were recorded on `name` (an Event
// repeated is one object with a count).
long event_count(ControllerHarness& h, const std::string& name, const std::string& reason) {
  long n = 0;
  auto list = h.get("/api/v1/namespaces/apps/events");
  if (!list)
    return 0;
  for (const auto& e : list->at("items").as_array()) {
    const auto& o = e.as_object();
    if (o.at("involvedObject").at("name").as_string() != name ||
        o.at("reason").as_string() != reason)
      continue;
    const auto* count = o.if_contains("count");
    n += count && count->is_int64() ? count->as_int64() : 1;
  }
  return n;
}

// The first instant at or after `desired` inside a `*/7 * * * *` window of
// one minute on Kathmandu's clock: UTC+05:45 all year since 1986.
Time kathmandu_every_seventh_minute(Time desired) {
  const auto offset = std::chrono::hours(5) + minutes(45);
  for (auto start = std::chrono::floor<minutes>(desired + offset);; start += minutes(1)) {
    const auto minute_of_hour = (start.time_since_epoch() % std::chrono::hours(1)) / minutes(1);
    if (minute_of_hour % 7 == 0 && start + minutes(1) > desired + offset)
      return std::max(Time(start - offset), desired);
  }
}

}  // namespace

TEST_CASE("a renewal window on Kathmandu's clock places the renewal, which happens there",
          "[renewal]") {
  ControllerHarness h;
  h.apply(bootstrap_yaml("apps"));
  h.apply(leaf_yaml("apps", "windowed", "windowed.example.com",
                    kShortLived + "  renewal:\n"
                                  "    windows:\n"
                                  "    - cron: \"*/7 * * * *\"\n"
                                  "      timezone: Asia/Kathmandu\n"
                                  "      windowDuration: 1m\n"));
  REQUIRE(h.wait_revision("apps", "windowed", 1));
  const auto not_after = status_time(h, "windowed", "notAfter");
  REQUIRE(not_after);
  REQUIRE(eventually([&] { return status_time(h, "windowed", "renewalTime").has_value(); }));
  const Time renewal = *status_time(h, "windowed", "renewalTime");
  const Time desired = *not_after - minutes(50);
  INFO("desired " << format_time(desired) << ", renewalTime " << format_time(renewal));
  CHECK(renewal >= desired);
  CHECK(renewal == kathmandu_every_seventh_minute(desired));
  CHECK(renewal < desired + minutes(7));

  // Renewal starts at that time, not at the desired one.
  const auto now = h.clock().now();
  if (renewal > desired) {
    h.clock().advance(desired - now + seconds(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    CHECK(h.revision("apps", "windowed") == 1);
  }
  h.clock().advance(renewal - h.clock().now() + seconds(1));
  REQUIRE(h.wait_revision("apps", "windowed", 2));
}

TEST_CASE("policy Disabled never renews by time, while RenewBefore beside it does", "[renewal]") {
  ControllerHarness h;
  h.apply(bootstrap_yaml("apps"));
  h.apply(leaf_yaml("apps", "manual", "manual.example.com",
                    kShortLived + "  renewal:\n    policy: Disabled\n"));
  h.apply(leaf_yaml("apps", "control", "control.example.com",
                    kShortLived + "  renewal:\n    policy: RenewBefore\n"));
  REQUIRE(h.wait_revision("apps", "manual", 1));
  REQUIRE(h.wait_revision("apps", "control", 1));
  CHECK(status_time(h, "manual", "notAfter"));
  CHECK_FALSE(status_time(h, "manual", "renewalTime"));
  CHECK(status_time(h, "control", "renewalTime"));

  // Twenty minutes on, both certificates are past their renewal time.
  h.clock().advance(minutes(20));
  REQUIRE(h.wait_revision("apps", "control", 2));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  CHECK(h.revision("apps", "manual") == 1);
  CHECK_FALSE(h.get(kRequests + "manual-2"));
  CHECK_FALSE(status_time(h, "manual", "renewalTime"));
  CHECK(h.condition(kCertificates + "manual", "Ready") == "True");
}

TEST_CASE("no window before notAfter: renewal at the desired time, one WindowError, Ready True",
          "[renewal]") {
  ControllerHarness h;
  h.apply(bootstrap_yaml("apps"));
  // February 29 comes in 2028, long after a 1h certificate expires.
  h.apply(leaf_yaml("apps", "late", "late.example.com",
                    kShortLived + "  renewal:\n"
                                  "    windows:\n"
                                  "    - cron: \"0 0 29 2 *\"\n"
                                  "      timezone: Europe/Berlin\n"
                                  "      windowDuration: 1h\n"));
  REQUIRE(h.wait_revision("apps", "late", 1));
  const auto not_after = status_time(h, "late", "notAfter");
  REQUIRE(not_after);
  REQUIRE(eventually([&] { return status_time(h, "late", "renewalTime").has_value(); }));
  const Time desired = *not_after - minutes(50);
  CHECK(*status_time(h, "late", "renewalTime") == desired);
  REQUIRE(eventually([&] { return event_count(h, "late", "WindowError") > 0; }));
  const std::string expected =
      "Warning WindowError: No renewal window opens between the desired "
      "renewal time " +
      format_time(desired) + " and the certificate's notAfter " + format_time(*not_after) +
      ": renewing at " + format_time(desired) + ", outside the windows, so that it does not expire";
  const auto events = h.events_for("apps", "late");
  CHECK(std::find(events.begin(), events.end(), expected) != events.end());
  std::string reason;
  CHECK(h.condition(kCertificates + "late", "Ready", &reason) == "True");
  CHECK(reason == "Ready");

  // Later syncs say nothing more until a new certificate.
  h.clock().advance(minutes(5));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  CHECK(event_count(h, "late", "WindowError") == 1);
  CHECK(h.revision("apps", "late") == 1);
  h.clock().advance(desired - h.clock().now() + seconds(1));
  REQUIRE(h.wait_revision("apps", "late", 2));
  CHECK(h.condition(kCertificates + "late", "Ready") == "True");
}
