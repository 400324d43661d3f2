// spec.renewal (cert-manager v1.21) in the reconciler: policy Disabled keeps
// no renewal time and never renews by time; windows move the renewal time to
// the first open window; when none opens before notAfter, the desired time
// with one WindowError Event, and Ready stays True.
#include <catch2/catch.hpp>

#include "controller/certificate_checks.hpp"
#include "tests/controller/reconcile_support.hpp"

using namespace certmill;
using namespace certmill::controller;
using std::chrono::hours;
using std::chrono::minutes;

namespace {

// The World's certificate: issued 2026-03-01 12:00 UTC for 90 days; desired
// renewal after 60 days, 2026-04-30 12:00 UTC (a Thursday).
const Time desired = test::t0 + hours(1440);
const Time not_after = test::t0 + hours(2160);

struct Setup {
  test::World world;
  SecretView secret;
  RequestView current;
  CertificateView crt;

  explicit Setup(std::optional<api::CertificateRenewal> renewal, int64_t generation = 1) {
    world.crt.spec.renewal = std::move(renewal);
    world.crt.metadata.generation = generation;
    secret = world.secret();
    current = world.current();
    crt = world.view();
  }
  Decision at(Time now) {
    return reconcile_certificate({crt, &secret, &world.issuer, &current, nullptr, {}, now, {}});
  }
};

api::CertificateRenewal windows(std::string cron, std::string zone, Duration length) {
  return {"", {api::RenewalWindowSpec{std::move(cron), std::move(zone), length}}};
}

}  // namespace

TEST_CASE("policy Disabled: no renewal time, and time never triggers issuance", "[renewal]") {
  Setup s(api::CertificateRenewal{"Disabled", {}});
  REQUIRE(s.crt.renewal_disabled);
  CHECK_FALSE(secret_renewal_time(s.crt, &s.secret));
  CHECK_FALSE(secret_renewal_time(s.crt, &s.secret, desired));  // the CA's advice too
  const Decision first = s.at(test::t0);
  REQUIRE(first.status);
  CHECK_FALSE(first.status->renewal_time);
  CHECK(first.status->not_after == not_after);
  CHECK(first.requeue_at == not_after + std::chrono::seconds(1));  // only expiry
  test::apply(s.crt, *first.status);
  for (Time now : {desired, desired + hours(24), not_after - hours(1)}) {
    const Decision d = s.at(now);
    CHECK(d.action == Action::None);
    CHECK_FALSE(d.status);
    CHECK(d.events.empty());
  }
  // Expiry is still reported.
  const Decision expired = s.at(not_after + hours(1));
  CHECK(expired.action == Action::None);
  REQUIRE(expired.status);
  CHECK(expired.status->conditions.at(0).reason == "Expired");

  // The positive control: RenewBefore renews at the same time.
  Setup control(api::CertificateRenewal{"RenewBefore", {}});
  CHECK(control.at(desired + hours(24)).action == Action::Issue);
}

TEST_CASE("policy Disabled still re-issues for a missing Secret or a changed spec", "[renewal]") {
  Setup s(api::CertificateRenewal{"Disabled", {}});
  const Decision missing = reconcile_certificate(
      {s.crt, nullptr, &s.world.issuer, &s.current, nullptr, {}, desired, {}});
  CHECK(missing.action == Action::Issue);
  s.world.crt.spec.dns_names.push_back("api.example.com");
  s.crt = s.world.view();
  CHECK(s.at(test::t0 + hours(1)).action == Action::Issue);
}

TEST_CASE("windows move the renewal time to the first open window", "[renewal]") {
  // Tuesdays 04:00-07:00 in Chicago: the first after the desired time is
  // 2026-05-05 04:00 CDT, 09:00 UTC.
  const Time window_start = Time(std::chrono::sys_days(std::chrono::year(2026) / 5 / 5)) + hours(9);
  Setup s(windows("0 4 * * 2", "America/Chicago", hours(3)));
  REQUIRE(s.crt.rare.get().renewal_windows);
  const Decision first = s.at(test::t0);
  REQUIRE(first.status);
  CHECK(first.status->renewal_time == window_start);
  CHECK(first.requeue_at == window_start);
  CHECK(first.events.empty());
  test::apply(s.crt, *first.status);
  CHECK(s.at(desired).action == Action::None);
  CHECK(s.at(window_start - std::chrono::seconds(1)).action == Action::None);
  const Decision due = s.at(window_start);
  CHECK(due.action == Action::Issue);
  CHECK(due.events.at(0).message ==
        "Renewing certificate as renewal was scheduled at 2026-05-05 09:00:00 +0000 UTC");

  // The CA's suggested time (ARI) is the desired one the windows move:
  // Monday 2026-04-27 12:00 UTC waits for Tuesday 04:00 CDT.
  const Time suggested = desired - hours(72);
  CHECK(secret_renewal_time(s.crt, &s.secret, suggested) ==
        Time(std::chrono::sys_days(std::chrono::year(2026) / 4 / 28)) + hours(9));

  // Inside a window already: the desired time itself.
  Setup open(windows("0 0 * * 4", "UTC", hours(24)));
  CHECK(secret_renewal_time(open.crt, &open.secret) == desired);
  CHECK_FALSE(open.at(test::t0).status);  // status already says so
}

TEST_CASE("equal windows are shared by every Certificate that has them", "[renewal]") {
  Setup a(windows("*/7 * * * *", "Europe/Berlin", minutes(1)));
  Setup b(windows("*/7 * * * *", "Europe/Berlin", minutes(1)));
  Setup c(windows("*/7 * * * *", "Europe/Berlin", minutes(2)));
  CHECK(a.crt.rare.get().renewal_windows == b.crt.rare.get().renewal_windows);
  CHECK(a.crt == b.crt);
  CHECK(a.crt.rare.get().renewal_windows != c.crt.rare.get().renewal_windows);
}

TEST_CASE("no window before notAfter: the desired time, one WindowError, Ready stays True",
          "[renewal]") {
  // February 30 never comes. The spec changed (generation 2) to say so.
  Setup s(windows("0 0 30 2 *", "UTC", hours(1)), 2);
  const auto scheduled = secret_renewal(s.crt, &s.secret);
  REQUIRE(scheduled);
  CHECK(scheduled->at == desired);
  CHECK(scheduled->no_window);
  const Decision first = s.at(test::t0 + hours(1));
  REQUIRE(first.status);
  CHECK(first.status->renewal_time == desired);
  REQUIRE(first.events.size() == 1);
  CHECK(first.events[0].type == "Warning");
  CHECK(first.events[0].reason == "WindowError");
  CHECK(first.events[0].message ==
        "No renewal window opens between the desired renewal time 2026-04-30T12:00:00Z and the "
        "certificate's notAfter 2026-05-30T12:00:00Z: renewing at 2026-04-30T12:00:00Z, outside "
        "the windows, so that it does not expire");
  for (const api::Condition& c : first.status->conditions) {
    if (c.type == "Ready") {
      CHECK(c.status == api::ConditionStatus::True);
      CHECK(c.reason == "Ready");
    }
  }
  test::apply(s.crt, *first.status);
  // Not on every sync.
  for (Time now : {test::t0 + hours(2), test::t0 + hours(100)}) {
    const Decision d = s.at(now);
    CHECK_FALSE(d.status);
    CHECK(d.events.empty());
  }
  CHECK(s.at(desired).action == Action::Issue);

  // A status without a renewal time yet (a new revision) warns once too.
  Setup fresh(windows("0 0 30 2 *", "UTC", hours(1)));
  fresh.world.crt.status.renewal_time.reset();
  fresh.crt = fresh.world.view();
  const Decision d = fresh.at(test::t0 + hours(1));
  REQUIRE(d.status);
  CHECK(d.status->renewal_time == desired);
  REQUIRE(d.events.size() == 1);
  CHECK(d.events[0].reason == "WindowError");
}
