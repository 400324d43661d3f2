// What a Certificate's reconcile does around the reconciler's decision, about
// the issuance in flight: sign a request that was left unsigned, give up the
// issuance slot, prune old requests; and whether the cache has caught up
// with certmill's own last writes, so that the decision is made on what the
// server holds. Pure functions of the facts the runtime gathers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "controller/certificate_reconciler.hpp"
#include "core/time.hpp"

namespace certmill::controller {

struct IssuanceFacts {
  bool issuing = false;  // the Certificate's Issuing condition is True
  // The request for the next revision exists and is still Pending.
  bool next_pending = false;
  bool signs_in_process = false;  // certmill signs for the issuer itself
  bool ordering_next = false;     // an ACME order for that request runs now
  // The request may be signed: it is approved, or certmill approves its own.
  bool may_sign = true;
};

struct IssuanceStep {
  // Sign the pending request now: an in-process issuer's request that
  // certmill stopped or failed on between creating and signing it, or that
  // another approver has just approved.
  bool sign_left_unsigned = false;
  // The issuance ends (stored, failed or never begun): its slot goes on.
  bool end_issuance = false;
  // Remove requests beyond revisionHistoryLimit.
  bool prune_requests = false;
};

IssuanceStep plan_issuance_step(const Decision& decision, const IssuanceFacts& facts);

// The API writes carrying out `decision` and `step` takes, as charged to the
// Certificate's write budget: the status, the request or Secret, each Event,
// and signing a request left unsigned.
int planned_writes(const Decision& decision, const IssuanceStep& step);

// certmill's last writes for a Certificate against what the cache shows.
struct WrittenVersions {
  std::string certificate;
  std::string secret;   // empty: no Secret write to wait for
  std::string request;  // empty: no request write to wait for
};
struct CachedVersions {
  std::string certificate;
  std::optional<std::string> secret;   // none: not in the cache
  std::optional<std::string> request;  // none: not in the cache
};
enum class CacheState {
  CaughtUp,  // act on the cache
  Behind,    // wait for it, until the deadline
  GaveUp,    // the deadline passed without it: act on what it has
};
CacheState cache_state(const WrittenVersions& written, const CachedVersions& cached, Time deadline,
                       Time now);

}  // namespace certmill::controller
