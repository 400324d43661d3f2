// NewOrderGate: one ACME account's new orders, held back as a group when the
// CA rate-limits them. When newOrder answers 429 rateLimited with Retry-After
// (RFC 8555 §6.6), the gate closes until then, so the account's other orders
// wait for that time instead of each collecting its own 429; and only one
// newOrder is in flight at a time, so a limit costs one 429, not one per order
// in flight. newOrder is one short request next to an order's validation and
// issuance, and Let's Encrypt allows 300 per 3 hours, so going one at a time
// does not slow a fleet down. Lives on the client's shard.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <utility>

#include <boost/asio/awaitable.hpp>

#include "core/result.hpp"
#include "reactor/clock.hpp"
#include "reactor/notifier.hpp"

namespace certmill::issuers::acme {

namespace asio = boost::asio;

struct NewOrderLimits {
  // False: no gate. Every newOrder goes straight to the CA, and a 429 is the
  // order's error at once; for looking at a CA's own limits (acme-front's tests).
  bool gate = true;
  // 429s one order takes (waiting after each) before it fails.
  int max_attempts = 3;
  // The shortest closing: a Retry-After in the past, or of zero, must not turn
  // into a hot loop of newOrder requests.
  std::chrono::seconds min_wait{1};
  // The longest closing, and the longest an order waits at the gate. Let's
  // Encrypt's new-orders-per-account refills a token every 36 s; a Retry-After
  // over an hour is a weekly limit (per domain, per identifier set) that one
  // order should not sit out: it fails with the CA's time, for the controller
  // to reschedule it, and the gate holds the others for an hour at most.
  std::chrono::seconds max_wait{std::chrono::hours(1)};
};

// How long the gate closes for a 429 that said `retry_after`.
std::chrono::seconds gate_closing(std::chrono::seconds retry_after, const NewOrderLimits& limits);

class NewOrderGate {
 public:
  // Held while one newOrder request is in flight; leaving lets the next in.
  class Slot {
   public:
    explicit Slot(NewOrderGate* gate) : gate_(gate) {}
    Slot(Slot&& other) noexcept : gate_(std::exchange(other.gate_, nullptr)) {}
    Slot& operator=(Slot&&) = delete;
    ~Slot();

   private:
    NewOrderGate* gate_;
  };

  NewOrderGate(reactor::Clock& clock, NewOrderLimits limits) : clock_(clock), limits_(limits) {}

  // Waits while the gate is closed or another newOrder is in flight. Fails
  // (rateLimited, with the time left as retry_after) when the gate stays
  // closed longer than max_wait from now, and when cancelled.
  asio::awaitable<Result<Slot>> enter();

  // The CA answered 429 with `retry_after`: closes the gate for
  // gate_closing(retry_after) from now, unless it is closed longer already.
  void close(std::chrono::seconds retry_after);

  const NewOrderLimits& limits() const { return limits_; }
  // When the gate opens again; in the past when it is open.
  reactor::TimePoint open_at() const { return open_at_; }
  // 429s the gate was closed for, and the CA's last Retry-After as sent.
  std::size_t closings() const { return closings_; }
  std::optional<std::chrono::seconds> last_retry_after() const { return last_retry_after_; }

 private:
  void leave();

  reactor::Clock& clock_;
  NewOrderLimits limits_;
  reactor::TimePoint open_at_{};
  bool busy_ = false;
  // Made on first use, on the executor of the client's shard.
  std::optional<reactor::Notifier> released_;
  std::size_t closings_ = 0;
  std::optional<std::chrono::seconds> last_retry_after_;
};

}  // namespace certmill::issuers::acme
