// IssuanceSlots: at most `limit` issuances at once, the rest woken first come,
// first served, one at a time as slots free up; a Certificate that is gone
// leaves its slot and the line.
#include "controller/issuance_slots.hpp"

#include <catch2/catch.hpp>

using certmill::controller::IssuanceSlots;

TEST_CASE("issuances start up to the limit, and the rest wait in arrival order") {
  IssuanceSlots slots(2);
  CHECK(slots.admit("ns/a"));
  slots.hold("ns/a");
  CHECK(slots.admit("ns/b"));
  slots.hold("ns/b");
  CHECK_FALSE(slots.admit("ns/c"));
  CHECK_FALSE(slots.admit("ns/d"));
  CHECK_FALSE(slots.admit("ns/c"));  // asking again keeps its place
  CHECK(slots.waiting() == 2);
  // One that holds a slot goes on with its issuance.
  CHECK(slots.admit("ns/a"));

  CHECK(slots.release("ns/a") == "ns/c");
  CHECK(slots.admit("ns/c"));
  slots.hold("ns/c");
  CHECK(slots.release("ns/b") == "ns/d");
  CHECK(slots.waiting() == 0);
  CHECK(slots.release("ns/c") == std::nullopt);
}

TEST_CASE("releasing what holds no slot wakes nobody") {
  IssuanceSlots slots(1);
  slots.hold("ns/a");
  CHECK_FALSE(slots.admit("ns/b"));
  CHECK(slots.release("ns/x") == std::nullopt);
  CHECK(slots.waiting() == 1);
  CHECK(slots.held() == 1);
}

TEST_CASE("each freed slot wakes one waiter, never more than the slots free") {
  IssuanceSlots slots(3);
  for (const char* key : {"ns/a", "ns/b", "ns/c"}) {
    REQUIRE(slots.admit(key));
    slots.hold(key);
  }
  for (const char* key : {"ns/d", "ns/e", "ns/f", "ns/g"})
    CHECK_FALSE(slots.admit(key));
  CHECK(slots.release("ns/b") == "ns/d");
  CHECK(slots.waiting() == 3);
  // The woken one has not taken its slot yet; another release wakes the next.
  CHECK(slots.release("ns/a") == "ns/e");
  CHECK(slots.held() == 1);
  CHECK(slots.admit("ns/d"));
  slots.hold("ns/d");
  CHECK(slots.admit("ns/e"));
  slots.hold("ns/e");
  CHECK_FALSE(slots.admit("ns/h"));
  CHECK(slots.waiting() == 3);
}

TEST_CASE("a Certificate that is gone gives up its slot and its place in line") {
  IssuanceSlots slots(1);
  slots.hold("ns/a");
  CHECK_FALSE(slots.admit("ns/b"));
  CHECK_FALSE(slots.admit("ns/c"));
  CHECK(slots.forget("ns/b") == std::nullopt);  // waited, held nothing
  CHECK(slots.waiting() == 1);
  CHECK(slots.forget("ns/a") == "ns/c");
  CHECK(slots.held() == 0);
  CHECK(slots.waiting() == 0);
}
