// How many issuances one shard carries at once, from a new key to the stored
// Secret, and who waits for a slot: first come, first served, so memory stays
// bounded when a whole fleet is due at once and started issuances finish
// before new ones begin. The slots are counted per group, a Certificate's
// issuer: an issuer whose issuances stall (an ACME account waiting out a
// rate limit, a CA that does not answer) fills only its own slots, and the
// Certificates of every other issuer go on. Pure data, no I/O.
#pragma once

#include <cstddef>
#include <deque>
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
  explicit IssuanceSlots(std::size_t limit) : limit_(limit) {}

  // Whether `key` may start, or go on with, an issuance of `group` now. If
  // not, it waits in that group's line (once) until release() or forget()
  // hands it a slot.
  bool admit(const std::string& key, const std::string& group);
  // `key`'s issuance has begun: it holds a slot of `group` until release().
  void hold(const std::string& key, const std::string& group);
  // `key`'s issuance ended (stored or failed): the waiter to wake, if any.
  std::optional<std::string> release(const std::string& key);
  // `key` is gone: it gives up its slot and its place in line.
  std::optional<std::string> forget(const std::string& key);

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
  // Drops the group when nothing holds or waits there.
  void tidy(const std::string& group);

  std::size_t limit_;
  std::unordered_map<std::string, Group> groups_;
  std::unordered_map<std::string, std::string> waits_in_;  // key → the group it waits in
  std::unordered_map<std::string, std::string> holds_in_;  // key → the group it holds a slot of
};

}  // namespace certmill::controller
