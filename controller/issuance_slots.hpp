// How many issuances one shard carries at once, from a new key to the stored
// Secret, and who waits for a slot: first come, first served, so memory stays
// bounded when a whole fleet is due at once and started issuances finish
// before new ones begin. The slots are counted per group, a Certificate's
// issuer: an issuer whose issuances stall (an ACME account waiting out a
// rate limit, a CA that does not answer) fills only its own slots, and the
// Certificates of every other issuer go on. A total over all groups bounds
// the memory of many issuers at once (an ACME order in flight holds ~45 KB);
// while it is full, freed slots go to the waiting groups in turn, so a group
// with a long line does not take them all. Pure data, no I/O.
#pragma once

#include <cstddef>
#include <deque>
#include <limits>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "core/api/meta.hpp"

namespace certmill::controller {

// The group of a Certificate in namespace `ns` whose issuerRef is `ref`: its
// issuer (group, kind, namespace for an Issuer, name), defaults applied.
std::string slot_group(const std::string& ns, const api::IssuerRef& ref);

class IssuanceSlots {
 public:
  // `limit`: slots of one group at once; `total`: of all groups at once.
  explicit IssuanceSlots(std::size_t limit,
                         std::size_t total = std::numeric_limits<std::size_t>::max())
      : limit_(limit), total_(total) {}

  // Whether `key` may start, or go on with, an issuance of `group` now: its
  // group and the total have a slot free. If not, it waits in that group's
  // line (once) until release() or forget() hands it a slot.
  bool admit(const std::string& key, const std::string& group);
  // `key`'s issuance has begun: it holds a slot of `group` until release().
  void hold(const std::string& key, const std::string& group);
  // `key`'s issuance ended (stored or failed): the waiter to wake, if any:
  // the first in the line of the next group in turn that has room.
  std::optional<std::string> release(const std::string& key);
  // `key` is gone: it gives up its slot, its place in line, or the turn it
  // was woken for (the waiter to wake instead, if any).
  std::optional<std::string> forget(const std::string& key);
  // `key`, woken by release(), no longer needs to issue: its turn goes to the
  // next waiter (returned), lest a freed slot stay unused while others wait.
  // Nothing for a key that was not woken.
  std::optional<std::string> pass(const std::string& key);

  bool holds(const std::string& key) const;
  std::size_t held() const;
  std::size_t waiting() const;

 private:
  struct Group {
    std::unordered_set<std::string> held;
    std::deque<std::string> line;
  };
  // Takes `key` out of its group's line, if it waits in one.
  void leave_line(const std::string& key);
  // The first waiter of the first group in turn that has room, taken out
  // of its line; its group goes to the back of the turns.
  std::optional<std::string> take_turn();
  // Drops the group when nothing holds or waits there.
  void tidy(const std::string& group);

  std::size_t limit_;
  std::size_t total_;
  std::unordered_map<std::string, Group> groups_;
  // The groups with a line (and only those), in the order their turns come.
  std::deque<std::string> turns_;
  std::unordered_map<std::string, std::string> waits_in_;  // key → the group it waits in
  std::unordered_map<std::string, std::string> holds_in_;  // key → the group it holds a slot of
  std::unordered_set<std::string> woken_;  // handed a turn, not yet holding nor back in line
};

}  // namespace certmill::controller
