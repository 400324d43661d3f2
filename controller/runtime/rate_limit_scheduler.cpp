// Messages to the owner shard, the admission pump, and grants sent home.
#include "controller/runtime/rate_limit_scheduler.hpp"

#include <boost/asio/post.hpp>

#include "core/acme/problem.hpp"
#include "core/log.hpp"
#include "reactor/run_on.hpp"

namespace certmill::controller {

namespace {

// How far a CA's clock, and the way to it, may put its count of a new order
// after certmill's; NTP keeps clocks within a second or so.
constexpr auto kClockSkew = std::chrono::seconds(5);
constexpr auto kIssuedMargin = std::chrono::hours(1);
// newOrders of one account in flight at once when its limits were told: the
// budget reserved each one's tokens at its turn, so no 429 comes of it.
constexpr unsigned kParallelNewOrders = 8;

ratelimits::AccountBudget budget_for(const ratelimits::CaLimits& limits) {
  return ratelimits::AccountBudget(limits, kIssuedMargin, kClockSkew);
}

}  // namespace

Error held_back(const ratelimits::Hold& closed, ratelimits::Instant now) {
  const auto left = std::chrono::ceil<std::chrono::seconds>(closed.until - now);
  return Error(certmill::acme::ProblemType::RateLimited,
               std::string(kRefusedHere) + std::string(ratelimits::limit_name(closed.limit)) +
                   (closed.key.empty() ? std::string() : " for " + closed.key) + " until " +
                   format_time(std::chrono::floor<std::chrono::seconds>(closed.until)) +
                   "; the order waits without asking it again")
      .with_retry_after(left);
}

std::chrono::seconds closing_wait(const Error& error) {
  return error.retry_after().value_or(std::chrono::minutes(5)) + std::chrono::seconds(1);
}

std::optional<Time> closing_after(const Error& error, Time now) {
  if (error.code() != acme::ProblemType::RateLimited || error.message().starts_with(kRefusedHere))
    return std::nullopt;
  return now + closing_wait(error);
}

RateLimitScheduler::RateLimitScheduler(reactor::Reactor& reactor, RateLimitFamilies& metrics,
                                       std::vector<k8s::Client*> clients,
                                       const ratelimits::PublicSuffixList& suffixes,
                                       std::string namespace_)
    : reactor_(reactor),
      metrics_(metrics),
      clients_(std::move(clients)),
      suffixes_(suffixes),
      namespace_(std::move(namespace_)),
      grants_(reactor.size()),
      lates_(reactor.size()),
      lines_(reactor.size()) {}

void RateLimitScheduler::on_turns(unsigned shard, Grant grant, Late late) {
  grants_.at(shard) = std::move(grant);
  lates_.at(shard) = std::move(late);
}

unsigned RateLimitScheduler::owner(const std::string& account) const {
  return reactor::Reactor::shard_index(account, reactor_.size());
}

RateLimitScheduler::Line& RateLimitScheduler::line(unsigned at, const RateLimitAccount& account) {
  auto& slot = lines_[at][account.id];
  if (!slot) {
    slot = std::make_unique<Line>(account.limits, budget_for(account.limits));
    slot->series = metrics_.account(account.server, account.key_secret);
    slot->key_namespace = account.key_namespace;
    slot->key_name = account.key_name;
    slot->label = account.label;
    slot->parallel = account.told ? kParallelNewOrders : 1;
    reactor_.spawn(reactor_.shard(at), [this, at, id = account.id]() { return load(at, id); });
  } else if (slot->configured != account.limits) {
    // The Issuer's annotation changed: count anew under the new limits.
    log::info(
        "an ACME account's rate limits changed",
        {{"account", account.id}, {"limits", ratelimits::format_rate_limits(account.limits)}});
    slot->configured = account.limits;
    slot->parallel = account.told ? kParallelNewOrders : 1;
    slot->budget = budget_for(account.limits);
    // The new budget holds none of the tokens the turns given reserved.
    for (auto& [certificate, turn] : slot->turned)
      turn.reserved = false;
    slot->queue.budget_loosened();
  }
  return *slot;
}

RateLimitScheduler::Line* RateLimitScheduler::find(unsigned at, const std::string& account) {
  auto it = lines_[at].find(account);
  return it == lines_[at].end() ? nullptr : it->second.get();
}

void RateLimitScheduler::request(unsigned home, RateLimitAccount account,
                                 ratelimits::Waiting waiting) {
  const unsigned at = owner(account.id);
  asio::post(reactor_.shard(at).executor(), [this, at, home, account = std::move(account),
                                             waiting = std::move(waiting)]() mutable {
    Line& l = line(at, account);
    l.homes[waiting.key] = home;
    l.queue.wait(std::move(waiting));
    pump(at, account.id);
  });
}

void RateLimitScheduler::withdraw(const std::string& account, std::string certificate) {
  const unsigned at = owner(account);
  asio::post(reactor_.shard(at).executor(),
             [this, at, account, certificate = std::move(certificate)] {
               if (Line* l = find(at, account)) {
                 l->queue.remove(certificate);
                 l->homes.erase(certificate);
                 l->late.erase(certificate);  // its shard clears what it was told
                 release(*l, certificate);
                 pump(at, account);
               }
             });
}

void RateLimitScheduler::refused(const std::string& account, ratelimits::RateLimitRefusal refusal,
                                 Time until) {
  const unsigned at = owner(account);
  asio::post(reactor_.shard(at).executor(),
             [this, at, account, refusal = std::move(refusal), until] {
               Line* l = find(at, account);
               if (!l)
                 return;
               if (refusal.stated)
                 l->budget.learn(refusal.limit, *refusal.stated);
               const std::vector<std::string> keys =
                   refusal.keys.empty() ? std::vector<std::string>{std::string()} : refusal.keys;
               for (const std::string& key : keys)
                 l->budget.refused(refusal.limit, key, until);
               keep_closings(at, account);
               log::debug("the CA rate-limited an ACME account; that limit waits",
                          {{"account", account},
                           {"limit", std::string(ratelimits::limit_name(refusal.limit))},
                           {"until", format_time(until)}});
             });
}

void RateLimitScheduler::authorization_failed(const std::string& account, std::string identifier) {
  const unsigned at = owner(account);
  asio::post(reactor_.shard(at).executor(),
             [this, at, account, identifier = std::move(identifier)] {
               if (Line* l = find(at, account))
                 l->budget.authorization_failed(identifier, reactor_.clock().now());
             });
}

void RateLimitScheduler::release(Line& l, const std::string& certificate) {
  const auto turn = l.turned.find(certificate);
  if (turn == l.turned.end())
    return;
  if (turn->second.reserved)
    l.budget.release(turn->second.shape);
  l.turned.erase(turn);
  l.queue.budget_loosened();
}

void RateLimitScheduler::pump(unsigned at, const std::string& account) {
  Line* l = find(at, account);
  if (!l || !l->loaded)
    return;
  const ratelimits::Instant now = reactor_.clock().now();
  auto admission = l->queue.admit(l->budget, now, l->queue.size());
  for (ratelimits::Waiting& waiting : admission.admitted) {
    const auto home = l->homes.find(waiting.key);
    if (home == l->homes.end())
      continue;
    const unsigned to = home->second;
    l->homes.erase(home);
    l->late.erase(waiting.key);  // its shard clears what it was told
    const bool reserved = l->budget.reserves(waiting.shape);
    l->turned[waiting.key] = Line::Turn{std::move(waiting.shape), reserved};
    asio::post(reactor_.shard(to).executor(), [this, to, key = std::move(waiting.key)] {
      if (grants_[to])
        grants_[to](key);
    });
  }
  measure(*l, now);
  // While issuances wait, the line is measured again within half a minute,
  // so a projection counts the ones that came since.
  std::optional<ratelimits::Instant> wake = admission.next;
  if (l->queue.size() > 0 && l->measured && (!wake || *l->measured + kMeasureEvery < *wake))
    wake = *l->measured + kMeasureEvery;
  if (!wake || (l->wake_at && *l->wake_at > now && *l->wake_at <= *wake))
    return;
  l->wake_at = wake;
  reactor_.spawn_service(reactor_.shard(at),
                         [this, at, account, when = *wake]() -> asio::awaitable<void> {
                           if (auto ec = co_await reactor_.clock().sleep_until(when); ec)
                             co_return;
                           if (Line* woken = find(at, account); woken && woken->wake_at == when)
                             woken->wake_at.reset();
                           pump(at, account);
                         });
}

asio::awaitable<Status> RateLimitScheduler::enter_new_order(RateLimitAccount account,
                                                            std::string certificate,
                                                            ratelimits::OrderShape shape) {
  const unsigned at = owner(account.id);
  co_return co_await reactor::run_there(
      reactor_.shard(at).executor(),
      [this, at, account = std::move(account), certificate = std::move(certificate),
       shape = std::move(shape)]() mutable -> asio::awaitable<Status> {
        // An order continued from an earlier process may be the first of its
        // account here: the line is made, and its kept closings read, first.
        Line* l = &line(at, account);
        // Bounded: each newOrder ahead ends within its request deadline, and
        // its order leaves even when cancelled; the closings' read, within the
        // API client's.
        for (;;) {
          if (l->loaded && l->sending < l->parallel) {
            const auto now = reactor_.clock().now();
            if (auto closed = l->budget.closed(shape, now)) {
              release(*l, certificate);
              co_return held_back(*closed, now);
            }
            const auto turn = l->turned.find(certificate);
            const bool unreserved =
                turn != l->turned.end() && !turn->second.reserved && l->budget.reserves(shape);
            if (auto hold = unreserved ? l->budget.new_order_hold(now) : std::nullopt) {
              // Its turn came before a 429 taught the account's new-order
              // limit, and holds no token of it: it asks the limit now, or
              // it and the turns given since would all go at once.
              release(*l, certificate);
              co_return held_back(*hold, now);
            }
            ++l->sending;
            if (turn != l->turned.end() && turn->second.shape.replaces && !shape.replaces) {
              // Its turn was for an ARI renewal, which the CA counts against
              // nothing; it goes without `replaces` (none to name, or the CA
              // refused it), and the CA counts it as the order it became.
              // Its set is spent once more: rare, and on the safe side.
              release(*l, certificate);
              l->budget.placed(shape, now);
            } else if (turn != l->turned.end() && turn->second.reserved) {
              l->budget.sent(turn->second.shape, now);
              l->turned.erase(turn);
            } else if (turn != l->turned.end()) {
              // No token held: the limit, if known since, is spent now.
              l->budget.placed(shape, now, false);
              l->turned.erase(turn);
            } else if (ratelimits::subject_to(shape, ratelimits::Limit::NewOrdersPerAccount)) {
              // No turn (an order continued from before): counted all the same.
              l->budget.placed(shape, now);
            }
            co_return Status{};
          }
          if (!l->sent)
            l->sent.emplace(reactor_.shard(at).executor());
          co_await l->sent->wait();
          l = find(at, account.id);
          if (!l)
            co_return Status{};
        }
      });
}

void RateLimitScheduler::new_order_sent(const std::string& account) {
  const unsigned at = owner(account);
  asio::post(reactor_.shard(at).executor(), [this, at, account] {
    if (Line* l = find(at, account)) {
      if (l->sending > 0)
        --l->sending;
      if (l->sent)
        l->sent->notify_all();
    }
  });
}

asio::awaitable<RateLimitScheduler::Snapshot> RateLimitScheduler::snapshot(std::string account) {
  const unsigned at = owner(account);
  co_return co_await reactor::run_there(reactor_.shard(at).executor(), [this, at, account] {
    Snapshot s;
    if (Line* l = find(at, account)) {
      s.waiting = l->queue.size();
      s.new_orders_left =
          l->budget.available(ratelimits::Limit::NewOrdersPerAccount, {}, reactor_.clock().now());
    }
    return s;
  });
}

}  // namespace certmill::controller
