// certmanager_certificate_challenge_status as cert-manager exports it: for
// each Challenge, one series per state in cert-manager's list of them
// ("ready", "valid", "errored", "expired", "invalid", "processing", "",
// "pending"), 1 for the Challenge's state and 0 for the others, labelled
// with its domain, type ("HTTP-01"), processing ("true") and reason (made
// printable and at most 256 bytes, as cert-manager's collector does).
// A Challenge has one set of series at a time: a changed label (a new
// reason) replaces the set, and a solved Challenge's set goes with it. A
// failed Challenge's set stays, as its object does, until the Certificate
// whose order made it starts another order or goes. One table per shard,
// touched on that shard only; the family is thread-safe for the scrape.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include <prometheus/family.h>
#include <prometheus/gauge.h>

#include "core/api/acme.hpp"

namespace certmill::controller {

// cert-manager's challengeValidStatuses, in its order; "" is a Challenge
// without a state yet.
inline constexpr std::array<std::string_view, 8> kChallengeStatuses = {
    "ready", "valid", "errored", "expired", "invalid", "processing", "", "pending"};

// The status label of a state.
std::string_view challenge_status_label(const std::optional<api::AcmeState>& state);
// cert-manager's normalizeChallengeReason: control characters become spaces,
// and the text is cut to at most 256 bytes, never inside a UTF-8 character.
std::string challenge_reason_label(std::string_view reason);

class ChallengeMetrics {
 public:
  explicit ChallengeMetrics(prometheus::Family<prometheus::Gauge>& family) : family_(family) {}
  ChallengeMetrics(const ChallengeMetrics&) = delete;
  ChallengeMetrics& operator=(const ChallengeMetrics&) = delete;

  // The Challenge's series as its status says now. `owner` is the
  // Certificate ("namespace/name") whose order `order` (the Order's name)
  // made it; the owner's Challenges from an earlier order go.
  void observe(const api::Challenge& challenge, const std::string& owner, const std::string& order);
  // Removes one Challenge's series, or all of an owner's.
  void forget(const std::string& owner, const std::string& ns, const std::string& name);
  void forget_owner(const std::string& owner);

  // Challenges with series.
  std::size_t size() const;

 private:
  struct Series {
    std::map<std::string, std::string> labels;  // all but status
    std::array<prometheus::Gauge*, kChallengeStatuses.size()> gauges{};
  };
  struct Owner {
    std::string order;
    std::map<std::string, Series> challenges;  // by "namespace/name"
  };
  void remove(Series& series);

  prometheus::Family<prometheus::Gauge>& family_;
  std::unordered_map<std::string, Owner> owners_;
};

}  // namespace certmill::controller
