// EventCorrelator: repeated events become patches of one object, and a
// flooding object is throttled.
#include "k8s/events.hpp"

#include <catch2/catch.hpp>

using namespace certmill;
using namespace certmill::k8s;
using namespace std::chrono_literals;

namespace {
const reactor::TimePoint t0 = reactor::TimePoint{} + 24h * 365 * 56;

api::Event event(std::string name, std::string reason, std::string message) {
  api::Event e;
  e.involved_object = {"cert-manager.io/v1", "Certificate", name, "default", "uid-" + name, "", ""};
  e.type = "Warning";
  e.reason = std::move(reason);
  e.message = std::move(message);
  e.source.component = "certmill";
  return e;
}
}  // namespace

TEST_CASE("the same event again patches the first one's count") {
  EventCorrelator c;
  const auto first = c.observe(event("web", "Failed", "rate limited"), t0);
  CHECK(first.write == EventWrite::Create);
  CHECK_THAT(first.name, Catch::StartsWith("web."));
  CHECK(first.count == 1);
  const auto second = c.observe(event("web", "Failed", "rate limited"), t0 + 1min);
  CHECK(second.write == EventWrite::Patch);
  CHECK(second.name == first.name);
  CHECK(second.count == 2);
  CHECK(second.first_timestamp == first.first_timestamp);

  // Another message, reason or object is another event.
  CHECK(c.observe(event("web", "Failed", "timeout"), t0).write == EventWrite::Create);
  CHECK(c.observe(event("web", "Issuing", "rate limited"), t0).write == EventWrite::Create);
  CHECK(c.observe(event("api", "Failed", "rate limited"), t0).write == EventWrite::Create);
}

TEST_CASE("an object gets 25 events at once, then one per five minutes") {
  EventCorrelator c;
  for (int i = 0; i < 25; ++i) {
    CHECK(c.observe(event("noisy", "Failed", std::to_string(i)), t0).write != EventWrite::Drop);
  }
  CHECK(c.observe(event("noisy", "Failed", "26"), t0).write == EventWrite::Drop);
  CHECK(c.observe(event("quiet", "Failed", "1"), t0).write == EventWrite::Create);
  CHECK(c.observe(event("noisy", "Failed", "27"), t0 + 4min).write == EventWrite::Drop);
  CHECK(c.observe(event("noisy", "Failed", "28"), t0 + 5min).write == EventWrite::Create);
}

TEST_CASE("the correlator forgets the oldest events past its capacity") {
  EventCorrelator c(2);
  const auto a = c.observe(event("a", "R", "m"), t0);
  c.observe(event("b", "R", "m"), t0);
  c.observe(event("c", "R", "m"), t0);
  const auto a_again = c.observe(event("a", "R", "m"), t0 + 1s);
  CHECK(a_again.write == EventWrite::Create);
  CHECK(a_again.name != a.name);
}
