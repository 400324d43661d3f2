// ChallengeSlots: at most `limit` challenges presented at once; a freed slot
// passes straight to the first in line, so no newcomer overtakes a waiter;
// one that stops waiting leaves the line.
#include "controller/challenge_slots.hpp"

#include <catch2/catch.hpp>

using certmill::controller::ChallengeSlots;

TEST_CASE("challenges take slots up to the limit, and the rest wait in arrival order") {
  ChallengeSlots slots(2);
  CHECK(slots.take("a"));
  CHECK(slots.take("b"));
  CHECK_FALSE(slots.take("c"));
  CHECK_FALSE(slots.take("d"));
  CHECK_FALSE(slots.take("c"));  // asking again keeps its place
  CHECK(slots.take("a"));        // one holding a slot keeps it
  CHECK(slots.held() == 2);
  CHECK(slots.waiting() == 2);

  CHECK(slots.give_back("a") == "c");
  CHECK(slots.holds("c"));
  CHECK(slots.held() == 2);
  CHECK(slots.give_back("b") == "d");
  CHECK(slots.waiting() == 0);
  CHECK(slots.give_back("c") == std::nullopt);
  CHECK(slots.give_back("d") == std::nullopt);
  CHECK(slots.held() == 0);
}

TEST_CASE("a newcomer waits behind those in line even when a slot is free") {
  ChallengeSlots slots(1);
  CHECK(slots.take("a"));
  CHECK_FALSE(slots.take("b"));
  // a is done: b holds the slot before anyone else may ask.
  CHECK(slots.give_back("a") == "b");
  CHECK_FALSE(slots.take("c"));
  CHECK(slots.holds("b"));
  CHECK_FALSE(slots.holds("c"));
}

TEST_CASE("one that stops waiting leaves the line and wakes nobody") {
  ChallengeSlots slots(1);
  CHECK(slots.take("a"));
  CHECK_FALSE(slots.take("b"));
  CHECK_FALSE(slots.take("c"));
  CHECK(slots.give_back("b") == std::nullopt);
  CHECK(slots.waiting() == 1);
  CHECK(slots.give_back("x") == std::nullopt);  // neither held nor waiting
  CHECK(slots.held() == 1);
  CHECK(slots.give_back("a") == "c");
}

TEST_CASE("every slot is used and none twice, through a long run") {
  constexpr std::size_t kLimit = 3;
  ChallengeSlots slots(kLimit);
  std::size_t admitted = 0;
  for (int i = 0; i < 10; ++i)
    admitted += slots.take("t" + std::to_string(i)) ? 1 : 0;
  CHECK(admitted == kLimit);
  CHECK(slots.waiting() == 10 - kLimit);
  // Giving back in any order hands the slots on in arrival order.
  std::vector<std::string> handed;
  for (const char* done : {"t1", "t0", "t2", "t3", "t4", "t5", "t6"}) {
    if (auto next = slots.give_back(done))
      handed.push_back(*next);
    CHECK(slots.held() <= kLimit);
  }
  CHECK(handed == std::vector<std::string>{"t3", "t4", "t5", "t6", "t7", "t8", "t9"});
  CHECK(slots.held() == 3);
  CHECK(slots.waiting() == 0);
}
