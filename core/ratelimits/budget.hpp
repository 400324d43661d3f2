// One ACME account's budgets: a bucket per limit and key (the account, each
// registered domain, each exact set, each identifier), spent when an order is
// placed, and the times a CA's 429 closed one limit for one key. Asked before
// every newOrder, so the CA's limits are met by waiting here, not by 429s.
//
// Certificates per domain and per exact set are spent when the order is
// placed, not when the CA issues: orders in flight must not overshoot what the
// CA will count once they are valid. An order that fails has then spent a
// token the CA does not count, which costs a little speed and never a 429.
// They are spent as of `count_margin` after placing (and checked at the time
// asked), because the CA counts them when it issues: a bucket that refills one
// token at a time is that much emptier at the CA than at placement, and a
// check that ignored it would be refused by the minutes an order takes. The
// price is a burst a little smaller than the CA's (48 of 50 at once for a
// domain, with an hour's margin). An order that takes longer than the margin
// can still meet a 429, which then closes that key alone.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/ratelimits/bucket.hpp"
#include "core/ratelimits/limits.hpp"
#include "core/ratelimits/order_shape.hpp"

namespace certmill::ratelimits {

using Instant = std::chrono::system_clock::time_point;
using Bucket = BasicBucket<Instant>;

// What holds an order back, and until when.
struct Hold {
  Limit limit;
  std::string key;  // the registered domain, exact set or identifier; empty for the account
  Instant until;
  bool closed_by_ca = false;  // a 429 said so, rather than certmill's own count
};

class AccountBudget {
 public:
  // `skew`: how far the CA's clock (and the newOrder's way to it) may be
  // from this one; a new order is counted that much later than it is sent,
  // so the next does not reach the CA a moment before its token.
  explicit AccountBudget(CaLimits limits, Duration count_margin = std::chrono::hours(1),
                         Duration skew = {})
      : limits_(limits), count_margin_(count_margin), skew_(skew) {}

  // Nothing when an order of `shape` may be placed at `now`; otherwise the
  // hold that ends last among those that apply.
  std::optional<Hold> hold(const OrderShape& shape, Instant now) const;
  // Only what a CA's 429 closed, of what `shape` is checked against: a
  // newOrder sent now would meet that refusal again.
  std::optional<Hold> closed(const OrderShape& shape, Instant now) const;
  // The order was placed at `at` (also when rebuilding from Orders that
  // exist: call in time order). `issues` false: it failed, and the CA
  // counted it as a new order only, never its certificate.
  void placed(const OrderShape& shape, Instant at, bool issues = true);
  // A turn was given at `at` to an order of `shape` whose newOrder goes a
  // little later: its certificates are spent now, its new-order token is
  // held (reserved) until sent() spends it at the time the CA counts it, or
  // release() gives it back unused. A CA counts a new order when it is sent;
  // spent at the turn, it would be counted earlier than the CA does, and the
  // next order refused by the few seconds (or, on a test's fast clock, the
  // minutes) between them.
  void reserve(const OrderShape& shape, Instant at);
  void sent(const OrderShape& shape, Instant at);
  void release(const OrderShape& shape);
  // Whether reserve() holds a new-order token for an order of `shape`: the
  // account's new-order limit is known. A turn given before a 429 taught it
  // holds none, and must not give back (or spend) another turn's.
  bool reserves(const OrderShape& shape) const;
  // What holds back a new order beyond the turns reserved, at `now`: how
  // such a turn, given no token, asks the limit learned since.
  std::optional<Hold> new_order_hold(Instant now) const;
  std::size_t reserved() const { return reserved_; }
  // As if every reserved turn's newOrder went at `at` (for a projection).
  void send_reserved(Instant at);
  // An authorization for `identifier` (authorization_key()) went invalid.
  void authorization_failed(const std::string& identifier, Instant at);
  // The CA refused with 429: `limit` for `key` (empty for the account) is
  // closed until `until`; only that. A limit certmill knew is drained too, so
  // its count agrees with the CA's from then on.
  void refused(Limit limit, const std::string& key, Instant until);
  // A limit learned from the CA (a 429 that said its count and period) for a
  // CA whose limits were not known; one already set is kept.
  void learn(Limit limit, LimitSpec spec);

  const CaLimits& limits() const { return limits_; }
  // Tokens left for `key` of `limit` at `now`; nullopt without a limit.
  std::optional<unsigned> available(Limit limit, const std::string& key, Instant now) const;
  // When every bucket of `limit` is full again (its last token back).
  std::optional<Instant> refilled_at(Limit limit, Instant now) const;
  // Keys of `limit` held back at `now`, by a 429 or an empty bucket.
  std::size_t exhausted(Limit limit, Instant now) const;
  // The closings still in force at `now`, to persist across a restart.
  std::map<std::pair<Limit, std::string>, Instant> closings(Instant now) const;

  // Forgets buckets that are full again and closings that have ended: the
  // memory stays proportional to recent spending, not to every name seen.
  void forget_idle(Instant now);

 private:
  using Family = std::unordered_map<std::string, Bucket>;
  Family& family(Limit limit) { return families_[static_cast<std::size_t>(limit)]; }
  const Family& family(Limit limit) const { return families_[static_cast<std::size_t>(limit)]; }
  void spend(Limit limit, const std::string& key, Instant at);
  void placed_certificates(const OrderShape& shape, Instant at);
  // When the CA counts, against `limit`, an order placed at `at`, at the latest.
  Instant counted_at(Limit limit, Instant at) const;
  // Folds the hold for one key of one limit into `worst`.
  void consider(Limit limit, const std::string& key, Instant now, std::optional<Hold>& worst) const;

  CaLimits limits_;
  Duration count_margin_;
  Duration skew_;
  std::array<Family, kLimits.size()> families_;
  std::map<std::pair<Limit, std::string>, Instant> closed_;
  std::size_t reserved_ = 0;  // new-order tokens of turns not yet sent
};

// Whether an order of `shape` is checked against `limit` (and spends it; an
// order with `replaces` is checked against nothing, yet its certificate still
// counts against its exact set, as Let's Encrypt counts every certificate).
bool subject_to(const OrderShape& shape, Limit limit);

}  // namespace certmill::ratelimits
