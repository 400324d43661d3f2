// plan_renewal, the pure half of renewal_info(): the window checked against
// the certificate it is about, the renewal time inside it (now when it has
// passed), and the next fetch from the Retry-After clamped to [1 min, 1 day].
#include <array>
#include <string>

#include <catch2/catch.hpp>

#include "issuers/acme/renewal_info.hpp"

using namespace certmill;
using namespace std::chrono;
using issuers::acme::plan_renewal;

namespace {

Time at(int y, unsigned m, unsigned d, int h = 0) {
  return sys_days(year(y) / month(m) / day(d)) + hours(h);
}

acme::RenewalInfo answer(Time start, Time end, std::string url = {}) {
  return acme::RenewalInfo{{start, end}, std::move(url)};
}

// A 90-day certificate from 1 January 2026, asked about on 1 March.
const Time not_before = at(2026, 1, 1);
const Time not_after = at(2026, 4, 1);
const Time now = at(2026, 3, 1);

}  // namespace

TEST_CASE("the renewal time is drawn inside the window and the next fetch follows Retry-After") {
  const auto window = answer(at(2026, 3, 2), at(2026, 3, 4), "https://ca.example/why");
  auto plan = plan_renewal(window, not_before, not_after, now, hours(6), 0.5);
  REQUIRE(plan.ok());
  CHECK(plan->offered);
  CHECK(plan->renewal_time == at(2026, 3, 3));
  CHECK(plan->retry_after_at == now + hours(6));
  CHECK(plan->explanation_url == "https://ca.example/why");
  CHECK(plan->window == window.suggested_window);
  CHECK(plan_renewal(window, not_before, not_after, now, hours(6), 0.0)->renewal_time ==
        at(2026, 3, 2));
}

TEST_CASE("a window that has passed means renew now") {
  auto plan = plan_renewal(answer(at(2026, 2, 1), at(2026, 2, 2)), not_before, not_after, now,
                           hours(6), 0.9);
  REQUIRE(plan.ok());
  CHECK(plan->renewal_time == now);
  // Partly passed: a draw in the past is now, one ahead stays.
  const auto open = answer(now - hours(10), now + hours(10));
  CHECK(plan_renewal(open, not_before, not_after, now, {}, 0.1)->renewal_time == now);
  CHECK(plan_renewal(open, not_before, not_after, now, {}, 0.75)->renewal_time == now + hours(5));
}

TEST_CASE("Retry-After is clamped to a minute and a day, and six hours stand in for none") {
  const auto window = answer(at(2026, 3, 2), at(2026, 3, 4));
  auto next = [&](std::optional<seconds> retry_after) {
    return plan_renewal(window, not_before, not_after, now, retry_after, 0.5)->retry_after_at;
  };
  CHECK(next(seconds(0)) == now + minutes(1));
  CHECK(next(seconds(59)) == now + minutes(1));
  CHECK(next(seconds(90)) == now + seconds(90));
  CHECK(next(hours(24 * 365)) == now + hours(24));
  CHECK(next(std::nullopt) == now + hours(6));
}

TEST_CASE("a window that cannot be about the certificate is an error, not a renewal time") {
  struct Bad {
    const char* why;
    acme::RenewalInfo window;
    const char* says;
  };
  for (const Bad& bad : {
           Bad{"end before start", answer(at(2026, 3, 4), at(2026, 3, 2)), "not after the start"},
           Bad{"empty", answer(at(2026, 3, 2), at(2026, 3, 2)), "not after the start"},
           Bad{"far future", answer(at(2100, 1, 1), at(2100, 1, 2)),
               "after the certificate expires"},
           Bad{"at expiry", answer(not_after, not_after + hours(1)),
               "after the certificate expires"},
           Bad{"far past", answer(at(1970, 1, 1), at(1970, 1, 2)),
               "before the certificate was issued"},
       }) {
    INFO(bad.why);
    auto plan = plan_renewal(bad.window, not_before, not_after, now, hours(6), 0.5);
    REQUIRE_FALSE(plan.ok());
    CHECK(plan.error().code() == Errc::invalid_value);
    CHECK_THAT(plan.error().message(), Catch::Contains(bad.says));
  }
}

TEST_CASE("a certificate's place in the window is its own and stays put, and a fleet spreads") {
  using issuers::acme::renewal_draw;
  const std::string id = "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE";
  CHECK(renewal_draw(id) == renewal_draw(id));
  CHECK(renewal_draw(id) != renewal_draw("aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyF"));
  // Serials one apart land all over the window: ten deciles, each used.
  std::array<int, 10> deciles{};
  double sum = 0;
  for (int serial = 0; serial < 10'000; ++serial) {
    const double draw = renewal_draw("aYhba4dGQEHhs3uEe6CuLN4ByNQ." + std::to_string(serial));
    REQUIRE(draw >= 0.0);
    REQUIRE(draw < 1.0);
    sum += draw;
    ++deciles[static_cast<std::size_t>(draw * 10)];
  }
  CHECK(sum / 10'000 == Approx(0.5).margin(0.02));
  for (int n : deciles)
    CHECK(n > 800);
}
