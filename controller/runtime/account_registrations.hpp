// One newAccount per ACME account in the process. Every shard opens its own
// client on an Issuer's account (a connection pool lives on its shard), and
// several Issuers may share one key; without this, each would register the
// same key again at start. The first caller for an account registers it; the
// others wait for its URL and only sign with it. The URLs live on the shard a
// hash of the account picks and are asked for by message, like the
// rate-limit lines. A registration that fails or is cancelled is not kept:
// the next caller tries again.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "core/error.hpp"
#include "reactor/notifier.hpp"
#include "reactor/reactor.hpp"

namespace certmill::controller {

namespace asio = boost::asio;

class AccountRegistrations {
 public:
  explicit AccountRegistrations(reactor::Reactor& reactor)
      : reactor_(reactor), entries_(reactor.size()) {}
  AccountRegistrations(const AccountRegistrations&) = delete;
  AccountRegistrations& operator=(const AccountRegistrations&) = delete;

  using Register = std::function<asio::awaitable<Result<std::string>>()>;

  // The URL of `account` (what identifies a registration: the directory, the
  // key, the contact, the binding): the one found before in this process, or
  // the one `register_now` gets (run on the caller's shard), while every
  // other caller for the same account waits for it.
  asio::awaitable<Result<std::string>> url(std::string account, Register register_now);

 private:
  struct Entry {
    std::optional<std::string> url;
    bool registering = false;
    std::optional<reactor::Notifier> done;
  };
  // On the owner shard: the URL when known; otherwise nothing, and the
  // caller registers (after waiting for one that does).
  asio::awaitable<std::optional<std::string>> claim(unsigned owner, std::string account);
  // On the owner shard: the registration ended, with a URL or without.
  void report(unsigned owner, const std::string& account, std::optional<std::string> url);

  reactor::Reactor& reactor_;
  // Per owner shard, touched only on that shard's thread.
  std::vector<std::unordered_map<std::string, Entry>> entries_;
};

}  // namespace certmill::controller
