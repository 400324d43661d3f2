// One c-ares channel for the lookup (the self-check asks rarely, and each
// may name its own nameservers), closed when it ends.
#include "solvers/dns/address_lookup.hpp"

#include <boost/asio/this_coro.hpp>

#include "solvers/dns/ares_channel.hpp"

namespace certmill::solvers {

asio::awaitable<Result<std::vector<asio::ip::address>>> lookup_addresses(
    std::string name, std::vector<Nameserver> nameservers,
    std::chrono::steady_clock::duration timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const auto failed = [&](const std::string& why, const std::string& asked) {
    return Error(std::make_error_code(std::errc::host_unreachable),
                 "cannot resolve " + name + ": " + why + " (asked " + asked + ")");
  };
  auto channel = AresChannel::open(co_await asio::this_coro::executor, {.servers = nameservers});
  if (!channel)
    co_return failed(channel.error().message(),
                     nameservers.empty() ? "the system's resolver"
                                         : "nameservers " + format_nameservers(nameservers));
  auto found = co_await (*channel)->addresses(name, deadline);
  if (!found) {
    if (found.error().code() == std::errc::operation_canceled)
      co_return Error(found.error().code(), "cancelled while resolving " + name);
    co_return failed(found.error().message(), (*channel)->describe());
  }
  if (found->empty())
    co_return failed("no A or AAAA record", (*channel)->describe());
  co_return std::move(*found);
}

}  // namespace certmill::solvers
