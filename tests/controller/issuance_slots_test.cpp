// IssuanceSlots: at most `limit` issuances of one issuer at once, the rest
// woken first come, first served, one at a time as slots free up; a
// Certificate that is gone leaves its slot and the line; one issuer's full
// slots hold no other issuer's Certificates back; all issuers together hold
// at most the total, freed slots going to the waiting issuers in turn; a
// woken Certificate that no longer issues passes its turn on.
#include "controller/issuance_slots.hpp"

#include <catch2/catch.hpp>

using certmill::controller::IssuanceSlots;

TEST_CASE("issuances start up to the limit, and the rest wait in arrival order") {
  IssuanceSlots slots(2);
  CHECK(slots.admit("ns/a", "ca"));
  slots.hold("ns/a", "ca");
  CHECK(slots.admit("ns/b", "ca"));
  slots.hold("ns/b", "ca");
  CHECK_FALSE(slots.admit("ns/c", "ca"));
  CHECK_FALSE(slots.admit("ns/d", "ca"));
  CHECK_FALSE(slots.admit("ns/c", "ca"));  // asking again keeps its place
  CHECK(slots.waiting() == 2);
  // One that holds a slot goes on with its issuance.
  CHECK(slots.admit("ns/a", "ca"));

  CHECK(slots.release("ns/a") == "ns/c");
  CHECK(slots.admit("ns/c", "ca"));
  slots.hold("ns/c", "ca");
  CHECK(slots.release("ns/b") == "ns/d");
  CHECK(slots.waiting() == 0);
  CHECK(slots.release("ns/c") == std::nullopt);
}

TEST_CASE("releasing what holds no slot wakes nobody") {
  IssuanceSlots slots(1);
  slots.hold("ns/a", "ca");
  CHECK_FALSE(slots.admit("ns/b", "ca"));
  CHECK(slots.release("ns/x") == std::nullopt);
  CHECK(slots.waiting() == 1);
  CHECK(slots.held() == 1);
}

TEST_CASE("each freed slot wakes one waiter, never more than the slots free") {
  IssuanceSlots slots(3);
  for (const char* key : {"ns/a", "ns/b", "ns/c"}) {
    REQUIRE(slots.admit(key, "ca"));
    slots.hold(key, "ca");
  }
  for (const char* key : {"ns/d", "ns/e", "ns/f", "ns/g"})
    CHECK_FALSE(slots.admit(key, "ca"));
  CHECK(slots.release("ns/b") == "ns/d");
  CHECK(slots.waiting() == 3);
  // The woken one has not taken its slot yet; another release wakes the next.
  CHECK(slots.release("ns/a") == "ns/e");
  CHECK(slots.held() == 1);
  CHECK(slots.admit("ns/d", "ca"));
  slots.hold("ns/d", "ca");
  CHECK(slots.admit("ns/e", "ca"));
  slots.hold("ns/e", "ca");
  CHECK_FALSE(slots.admit("ns/h", "ca"));
  CHECK(slots.waiting() == 3);
}

TEST_CASE("a Certificate that is gone gives up its slot and its place in line") {
  IssuanceSlots slots(1);
  slots.hold("ns/a", "ca");
  CHECK_FALSE(slots.admit("ns/b", "ca"));
  CHECK_FALSE(slots.admit("ns/c", "ca"));
  CHECK(slots.forget("ns/b") == std::nullopt);  // waited, held nothing
  CHECK(slots.waiting() == 1);
  CHECK(slots.forget("ns/a") == "ns/c");
  CHECK(slots.held() == 0);
  CHECK(slots.waiting() == 0);
}

TEST_CASE("an issuer whose slots are full holds no other issuer's Certificates back") {
  IssuanceSlots slots(2);
  for (const char* key : {"ns/acme-0", "ns/acme-1"}) {
    REQUIRE(slots.admit(key, "le"));
    slots.hold(key, "le");
  }
  CHECK_FALSE(slots.admit("ns/acme-2", "le"));  // waits out a rate limit, say
  CHECK(slots.admit("ns/root", "selfsigned"));
  slots.hold("ns/root", "selfsigned");
  CHECK(slots.admit("ns/ca-0", "ca"));
  slots.hold("ns/ca-0", "ca");
  CHECK(slots.held() == 4);
  CHECK(slots.waiting() == 1);
  // A release wakes a waiter of its own issuer only.
  CHECK(slots.release("ns/root") == std::nullopt);
  CHECK(slots.release("ns/acme-1") == "ns/acme-2");
  CHECK(slots.waiting() == 0);
}

TEST_CASE("a waiter whose issuer changes waits in the new issuer's line, or starts there") {
  IssuanceSlots slots(1);
  slots.hold("ns/a", "le");
  slots.hold("ns/b", "ca");
  CHECK_FALSE(slots.admit("ns/c", "le"));
  CHECK_FALSE(slots.admit("ns/c", "ca"));  // moved: one place, in the new line
  CHECK(slots.waiting() == 1);
  CHECK(slots.release("ns/a") == std::nullopt);  // no longer in le's line
  CHECK(slots.release("ns/b") == "ns/c");
  CHECK(slots.admit("ns/d", "le"));  // le has room again
  CHECK(slots.admit("ns/e", "other"));
}

TEST_CASE("a Certificate's slot group is its issuer, defaults applied") {
  using certmill::controller::slot_group;
  CHECK(slot_group("shop", {"ca", "", ""}) == "cert-manager.io/Issuer/shop/ca");
  CHECK(slot_group("shop", {"le", "ClusterIssuer", "cert-manager.io"}) ==
        "cert-manager.io/ClusterIssuer//le");
  CHECK(slot_group("web", {"le", "ClusterIssuer", ""}) ==
        slot_group("shop", {"le", "ClusterIssuer", ""}));
  CHECK(slot_group("shop", {"ca", "Issuer", ""}) != slot_group("web", {"ca", "Issuer", ""}));
}

TEST_CASE("all issuers together hold at most the total, and a newcomer waits for it too") {
  IssuanceSlots slots(2, 3);
  for (const auto& [key, group] : {std::pair{"ns/a", "le"}, {"ns/b", "le"}, {"ns/c", "ca"}}) {
    REQUIRE(slots.admit(key, group));
    slots.hold(key, group);
  }
  CHECK_FALSE(slots.admit("ns/d", "ca"));     // ca has room, the total has none
  CHECK_FALSE(slots.admit("ns/e", "other"));  // nor does a group not seen before
  CHECK(slots.waiting() == 2);
  CHECK(slots.release("ns/c") == "ns/d");
  CHECK(slots.admit("ns/d", "ca"));
  slots.hold("ns/d", "ca");
  CHECK(slots.held() == 3);
}

TEST_CASE("while the total is full, freed slots go to the waiting issuers in turn") {
  IssuanceSlots slots(4, 4);
  // A stalled ACME issuer with a long line, and two others behind it.
  for (const char* key : {"ns/le-0", "ns/le-1", "ns/le-2", "ns/le-3"}) {
    REQUIRE(slots.admit(key, "le"));
    slots.hold(key, "le");
  }
  for (const char* key : {"ns/le-4", "ns/le-5", "ns/le-6"})
    CHECK_FALSE(slots.admit(key, "le"));
  CHECK_FALSE(slots.admit("ns/ca-0", "ca"));
  CHECK_FALSE(slots.admit("ns/ca-1", "ca"));
  CHECK_FALSE(slots.admit("ns/vault-0", "vault"));
  // le's own releases wake le, ca and vault by turns, not le's whole line.
  std::vector<std::string> woken;
  for (const char* key : {"ns/le-0", "ns/le-1", "ns/le-2", "ns/le-3"}) {
    auto next = slots.release(key);
    REQUIRE(next);
    woken.push_back(*next);
    const std::string group = next->substr(3, next->find('-') - 3);
    REQUIRE(slots.admit(*next, group));
    slots.hold(*next, group);
  }
  CHECK(woken == std::vector<std::string>{"ns/le-4", "ns/ca-0", "ns/vault-0", "ns/le-5"});
  CHECK(slots.waiting() == 2);
  CHECK(slots.release("ns/ca-0") == "ns/ca-1");
}

TEST_CASE("an issuer at its own limit passes its turn to the next while the total frees") {
  IssuanceSlots slots(2, 3);
  for (const auto& [key, group] :
       {std::pair{"ns/le-0", "le"}, {"ns/le-1", "le"}, {"ns/ca-0", "ca"}}) {
    REQUIRE(slots.admit(key, group));
    slots.hold(key, group);
  }
  CHECK_FALSE(slots.admit("ns/le-2", "le"));  // first in turn, but le is full
  CHECK_FALSE(slots.admit("ns/ca-1", "ca"));
  CHECK(slots.release("ns/ca-0") == "ns/ca-1");
  CHECK(slots.admit("ns/ca-1", "ca"));
  slots.hold("ns/ca-1", "ca");
  CHECK(slots.release("ns/le-0") == "ns/le-2");
  CHECK(slots.waiting() == 0);
}

TEST_CASE("a waiter that leaves takes its issuer out of the turns when its line empties") {
  IssuanceSlots slots(5, 1);
  slots.hold("ns/a", "le");
  CHECK_FALSE(slots.admit("ns/b", "ca"));
  CHECK_FALSE(slots.admit("ns/c", "vault"));
  CHECK(slots.forget("ns/b") == std::nullopt);
  CHECK(slots.release("ns/a") == "ns/c");
  CHECK(slots.waiting() == 0);
  CHECK(slots.release("ns/c") == std::nullopt);
}

TEST_CASE("a woken Certificate that no longer issues, or is gone, passes its turn on") {
  IssuanceSlots slots(5, 1);
  slots.hold("ns/a", "le");
  for (const char* key : {"ns/b", "ns/c", "ns/d"})
    CHECK_FALSE(slots.admit(key, "ca"));
  CHECK(slots.release("ns/a") == "ns/b");
  // b's Secret turned out fine after all: its slot goes to c, not to nobody.
  CHECK(slots.pass("ns/b") == "ns/c");
  CHECK(slots.pass("ns/b") == std::nullopt);  // passed once
  // c is deleted before it holds: d is woken instead.
  CHECK(slots.forget("ns/c") == "ns/d");
  CHECK(slots.waiting() == 0);
  // A key that holds, or was never woken, has no turn to pass.
  CHECK(slots.admit("ns/d", "ca"));
  slots.hold("ns/d", "ca");
  CHECK_FALSE(slots.admit("ns/e", "ca"));
  CHECK(slots.pass("ns/d") == std::nullopt);
  CHECK(slots.pass("ns/e") == std::nullopt);
  CHECK(slots.waiting() == 1);
}

TEST_CASE("a woken Certificate whose slot a newcomer took waits in line again") {
  IssuanceSlots slots(5, 1);
  slots.hold("ns/a", "le");
  CHECK_FALSE(slots.admit("ns/b", "ca"));
  CHECK(slots.release("ns/a") == "ns/b");
  CHECK(slots.admit("ns/n", "le"));
  slots.hold("ns/n", "le");
  CHECK_FALSE(slots.admit("ns/b", "ca"));
  CHECK(slots.pass("ns/b") == std::nullopt);  // it waits; no turn to pass
  CHECK(slots.release("ns/n") == "ns/b");
}
