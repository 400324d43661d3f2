// Renewal time, table-driven against cert-manager's rules in
// pkg/util/pki/renewaltime.go (RenewalTime and desiredRenewalTime), and
// driven on the fake clock the way the scheduler will use it.
#include "core/pki/renewal.hpp"

#include <catch2/catch.hpp>

#include "reactor/clock.hpp"

using namespace certmill;
using namespace std::chrono;
using certmill::pki::renewal_time;

namespace {

const Time t0 = sys_days(year(2026) / 1 / 1) + hours(0);

struct Row {
  const char* rule;
  Duration lifetime;
  std::optional<Duration> renew_before;
  std::optional<int> percentage;
  Duration expected_before_expiry;
};

}  // namespace

TEST_CASE("renewal time follows cert-manager's RenewalTime rules") {
  const Row rows[] = {
      {"default: renew 1/3 of the lifetime before expiry (90d cert renews 30d early)", hours(2160),
       std::nullopt, std::nullopt, hours(720)},
      {"default on a 1h certificate: 20 minutes", hours(1), std::nullopt, std::nullopt,
       minutes(20)},
      {"default truncates to the second: 100s lifetime renews at 66s (33.33s early, floored)",
       seconds(100), std::nullopt, std::nullopt, milliseconds(34000)},
      {"renewBefore shorter than the lifetime is used as is", hours(2160), hours(360), std::nullopt,
       hours(360)},
      {"renewBefore equal to the lifetime falls back to 1/3", hours(24), hours(24), std::nullopt,
       hours(8)},
      {"renewBefore longer than the lifetime falls back to 1/3", hours(24), hours(48), std::nullopt,
       hours(8)},
      {"renewBefore zero falls back to the default", hours(24), Duration::zero(), std::nullopt,
       hours(8)},
      {"renewBefore negative falls back to the default", hours(24), -hours(1), std::nullopt,
       hours(8)},
      {"renewBeforePercentage 25 renews with 25% of the lifetime left", minutes(60), std::nullopt,
       25, minutes(15)},
      {"renewBeforePercentage 50 on 90 days: 45 days early", hours(2160), std::nullopt, 50,
       hours(1080)},
      {"renewBeforePercentage 99", hours(100), std::nullopt, 99, hours(99)},
      {"renewBeforePercentage 1", hours(100), std::nullopt, 1, hours(1)},
      {"renewBeforePercentage 0 is out of range: 1/3", hours(30), std::nullopt, 0, hours(10)},
      {"renewBeforePercentage 100 is out of range: 1/3", hours(30), std::nullopt, 100, hours(10)},
      {"renewBeforePercentage negative is out of range: 1/3", hours(30), std::nullopt, -5,
       hours(10)},
      {"a valid renewBefore wins over renewBeforePercentage", hours(100), hours(10), 50, hours(10)},
      {"an invalid renewBefore lets renewBeforePercentage decide", hours(100), hours(200), 50,
       hours(50)},
      {"percentage of a 10-year lifetime does not overflow", hours(87600), std::nullopt, 90,
       hours(78840)},
  };
  for (const Row& row : rows) {
    INFO(row.rule);
    const Time not_after = t0 + duration_cast<seconds>(row.lifetime);
    const Time expected = floor<seconds>(not_after - row.expected_before_expiry);
    CHECK(renewal_time(t0, not_after, row.renew_before, row.percentage) == expected);
  }
}

TEST_CASE("renewal time uses the certificate's actual lifetime, not spec.duration") {
  // A CA capped the certificate at 10 days although 90 were asked for.
  const Time not_after = t0 + hours(240);
  CHECK(renewal_time(t0, not_after, hours(720), std::nullopt) == t0 + hours(160));
  CHECK(renewal_time(t0, not_after, hours(24), std::nullopt) == t0 + hours(216));
}

TEST_CASE("on the fake clock a certificate becomes due exactly at its renewal time") {
  reactor::FakeClock clock(t0);
  const Time not_before = floor<seconds>(clock.now());
  const Time not_after = not_before + hours(2160);
  const Time due = renewal_time(not_before, not_after, std::nullopt, std::nullopt);
  const auto is_due = [&] { return floor<seconds>(clock.now()) >= due; };
  CHECK_FALSE(is_due());
  clock.advance(hours(1439));
  CHECK_FALSE(is_due());
  clock.advance(minutes(59) + seconds(59));
  CHECK_FALSE(is_due());
  clock.advance(seconds(1));
  CHECK(is_due());
  CHECK(floor<seconds>(clock.now()) == not_after - hours(720));
}
