// Claiming an account's registration on its owner shard, and reporting it.
#include "controller/runtime/account_registrations.hpp"

#include <boost/asio/post.hpp>

#include "reactor/run_on.hpp"

namespace certmill::controller {

asio::awaitable<std::optional<std::string>> AccountRegistrations::claim(unsigned at,
                                                                        std::string account) {
  co_return co_await reactor::run_there(
      reactor_.shard(at).executor(),
      [this, at, account = std::move(account)]() -> asio::awaitable<std::optional<std::string>> {
        // Bounded: the registration waited for ends within its client's
        // request deadline, and its end is reported even when cancelled.
        for (;;) {
          Entry& entry = entries_[at][account];
          if (entry.url)
            co_return entry.url;
          if (!entry.registering) {
            entry.registering = true;
            co_return std::nullopt;
          }
          if (!entry.done)
            entry.done.emplace(reactor_.shard(at).executor());
          co_await entry.done->wait();
        }
      });
}

void AccountRegistrations::report(unsigned at, const std::string& account,
                                  std::optional<std::string> url) {
  asio::post(reactor_.shard(at).executor(), [this, at, account, url = std::move(url)]() mutable {
    Entry& entry = entries_[at][account];
    entry.registering = false;
    if (url)
      entry.url = std::move(url);
    if (entry.done)
      entry.done->notify_all();
  });
}

asio::awaitable<Result<std::string>> AccountRegistrations::url(std::string account,
                                                               Register register_now) {
  const unsigned at = reactor::Reactor::shard_index(account, reactor_.size());
  if (auto known = co_await claim(at, account))
    co_return std::move(*known);
  // Reported however this coroutine ends, so that nobody waits for a
  // registration that a shutdown cut off.
  struct Report {
    AccountRegistrations& self;
    unsigned at;
    const std::string& account;
    std::optional<std::string> url = std::nullopt;
    ~Report() { self.report(at, account, std::move(url)); }
  } report{*this, at, account};
  auto registered = co_await register_now();
  if (registered)
    report.url = *registered;
  co_return registered;
}

}  // namespace certmill::controller
