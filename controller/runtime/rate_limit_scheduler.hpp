// The ACME accounts' rate-limit lines, one owner per account in the process:
// an account's budgets and its line of waiting issuances live on one shard
// (chosen by a hash of the account), and every shard's Certificates that
// order from that account ask it by message. So the whole process spends one
// budget per account, whatever the number of shards and Issuers sharing the
// key, and the issuance due soonest goes first across all of them. A grant
// goes back to the asking shard as a message, which queues the Certificate.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "controller/rate_limit_metrics.hpp"
#include "core/ratelimits/closings.hpp"
#include "core/ratelimits/issuance_queue.hpp"
#include "core/ratelimits/public_suffix.hpp"
#include "core/ratelimits/refusal.hpp"
#include "core/time.hpp"
#include "k8s/client.hpp"
#include "reactor/notifier.hpp"
#include "reactor/reactor.hpp"

namespace certmill::controller {

namespace asio = boost::asio;

// Who the CA counts orders against, and the limits certmill knows for it.
struct RateLimitAccount {
  std::string id;  // the directory URL and the account key's Secret
  // A digest of `id`, the value of the label its Orders carry
  // (core/ratelimits/past_orders.hpp).
  std::string label;
  std::string server;
  std::string key_secret;  // as the metrics label it
  // Where the key Secret is, whose annotation keeps the CA's closings.
  std::string key_namespace;
  std::string key_name;
  ratelimits::CaLimits limits;
  // The limits are the CA's own, known (Let's Encrypt's) or told (the
  // annotation): several newOrders may be in flight at once. Otherwise one
  // at a time, so that a limit nobody told certmill of costs one 429.
  bool told = false;
};

// A renewal the account's budgets cannot fit before its certificate
// expires: when its order is projected to go, and the expiry.
struct LateRenewal {
  Time start;
  Time expires;
};

// How the message of a refusal enter_new_order() gives starts: the CA
// closed what the order needs, and it was not asked again.
inline constexpr std::string_view kRefusedHere = "the CA has refused ";

// The rateLimited error an order gets instead of sending newOrder while the
// CA's closing `closed` holds, at `now`: its message starts with
// kRefusedHere, its Retry-After is the time left.
Error held_back(const ratelimits::Hold& closed, ratelimits::Instant now);

// Until when a rateLimited `error` closes the limit it names for the whole
// account: a second past the CA's Retry-After (its whole seconds are
// rounded), five minutes when it gave none. Nothing when the refusal was the
// line's own (kRefusedHere): the closing it repeats is there already, and
// closing again from now would slide it a second later with every order held
// back, so that a steady trickle of them would keep it closed for ever.
std::optional<Time> closing_after(const Error& error, Time now);
// How far past now the CA's refusal closes: a second past its Retry-After
// (its whole seconds are rounded, and an order sent on the boundary meets the
// same refusal); five minutes and a second without one, not a loop.
std::chrono::seconds closing_wait(const Error& error);

class RateLimitScheduler {
 public:
  using Grant = std::function<void(const std::string& certificate)>;
  // A renewal is projected late, or (nullopt) no longer is.
  using Late = std::function<void(const std::string& certificate, std::optional<LateRenewal>)>;

  // `clients`: one per shard, for the closings kept on the account's key
  // Secret (closings.hpp) and the Orders its spending is counted again from
  // (past_orders.hpp), in `namespace_` (empty: every namespace).
  RateLimitScheduler(reactor::Reactor& reactor, RateLimitFamilies& metrics,
                     std::vector<k8s::Client*> clients,
                     const ratelimits::PublicSuffixList& suffixes, std::string namespace_);
  RateLimitScheduler(const RateLimitScheduler&) = delete;
  RateLimitScheduler& operator=(const RateLimitScheduler&) = delete;

  // How a grant, and a projection that a renewal will be late, reach shard
  // `shard`, called there; set before the reactor runs.
  void on_turns(unsigned shard, Grant grant, Late late);

  // From shard `home`: `waiting` waits in its account's line (its place kept
  // if it waits already) until the budgets let its order go.
  void request(unsigned home, RateLimitAccount account, ratelimits::Waiting waiting);
  // It no longer waits (its issuance ended, the Certificate is gone).
  void withdraw(const std::string& account, std::string certificate);
  // The CA answered 429 to an order of `shape`: close what it names.
  void refused(const std::string& account, ratelimits::RateLimitRefusal refusal, Time until);
  void authorization_failed(const std::string& account, std::string identifier);

  // Before an order of `shape` sends newOrder: waits until fewer newOrders of
  // the account are in flight than it allows (one, unless its limits were
  // told), then refuses (rateLimited, with the time
  // left) when a 429 has closed what the order needs since its turn came.
  // When it answers Ok, new_order_sent() must follow.
  // The new-order token `certificate`'s turn reserved is spent then, as the
  // CA counts it; one that never sends gives it back on withdraw().
  asio::awaitable<Status> enter_new_order(RateLimitAccount account, std::string certificate,
                                          ratelimits::OrderShape shape);
  void new_order_sent(const std::string& account);

  // For tests and metrics: the line's length and the tokens left, read on
  // the owner shard.
  struct Snapshot {
    std::size_t waiting = 0;
    std::optional<unsigned> new_orders_left;
  };
  asio::awaitable<Snapshot> snapshot(std::string account);

 private:
  struct Line {
    Line(ratelimits::CaLimits limits, ratelimits::AccountBudget fresh)
        : configured(limits), budget(std::move(fresh)) {}
    ratelimits::CaLimits configured;  // as told, before anything learned
    ratelimits::AccountBudget budget;
    ratelimits::IssuanceQueue queue;
    std::unordered_map<std::string, unsigned> homes;
    // Turns given whose newOrder has not gone yet: their shapes, and whether
    // each holds a new-order token (none when given before the limit was known).
    struct Turn {
      ratelimits::OrderShape shape;
      bool reserved = false;
    };
    std::unordered_map<std::string, Turn> turned;
    std::optional<ratelimits::Instant> wake_at;
    // newOrders of the account in flight, and how many may be.
    unsigned sending = 0;
    unsigned parallel = 1;
    std::optional<reactor::Notifier> sent;
    RateLimitFamilies::Account series;
    // Renewals told they are projected late, and the shard told.
    std::unordered_map<std::string, unsigned> late;
    std::optional<ratelimits::Instant> measured;
    // Until the closings a previous process wrote down are read and its
    // Orders counted again, nothing is admitted: a restart within a
    // Retry-After must not send a newOrder, nor spend a budget twice.
    bool loaded = false;
    std::string key_namespace, key_name, label;
    ratelimits::Closings written;  // as last written to the annotation
  };
  unsigned owner(const std::string& account) const;
  // On the owner shard: the line, made on first use.
  Line& line(unsigned owner, const RateLimitAccount& account);
  Line* find(unsigned owner, const std::string& account);
  // On the owner shard: admits what the budgets allow, sends the grants, and
  // comes back when the next hold ends.
  void pump(unsigned owner, const std::string& account);
  // Gives back the new-order token of `certificate`'s unsent turn, if any.
  void release(Line& line, const std::string& certificate);

  // On the owner shard: reads what an earlier process left (the closings
  // kept on the account's key Secret, the account's Orders), then lets the
  // line admit; and writes the closings when a 429 changed them.
  asio::awaitable<void> load(unsigned owner, std::string account);
  asio::awaitable<void> load_closings(unsigned owner, const std::string& account);
  asio::awaitable<void> count_past_orders(unsigned owner, const std::string& account);
  void keep_closings(unsigned owner, const std::string& account);
  // The line's series, every half minute at most: the projection plays the
  // whole line forward (rate_limit_projection.cpp).
  static constexpr auto kMeasureEvery = std::chrono::seconds(30);
  void measure(Line& line, ratelimits::Instant now);
  // Tells `certificate`'s home shard it is projected late, or no longer.
  void tell_late(unsigned home, const std::string& certificate, std::optional<LateRenewal> late);

  reactor::Reactor& reactor_;
  RateLimitFamilies& metrics_;
  std::vector<k8s::Client*> clients_;
  const ratelimits::PublicSuffixList& suffixes_;
  std::string namespace_;
  std::vector<Grant> grants_;
  std::vector<Late> lates_;
  // Per owner shard, touched only on that shard's thread.
  std::vector<std::unordered_map<std::string, std::unique_ptr<Line>>> lines_;
};

}  // namespace certmill::controller
