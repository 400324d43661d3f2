// A shard's DNS for DNS-01 propagation checks: one c-ares channel to the
// recursive nameservers (--dns01-recursive-nameservers, or the system's
// resolver), and one per authoritative server a check has asked, each made
// on first use and then shared by every check on the shard. c-ares 1.18
// cannot send one query to a server of its choosing, hence a channel per
// server; each keeps one UDP socket (TCP only after a truncated answer),
// so sockets and memory grow with the distinct servers asked, and a check
// in flight costs its coroutine frame and one small request record — never
// a thread or a socket of its own. Create one per shard, use and destroy it
// on that shard's executor, and let it outlive the checks it serves.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include "core/result.hpp"
#include "solvers/dns/ares_channel.hpp"
#include "solvers/dns/nameservers.hpp"

namespace certmill::solvers::dns {

struct Dns01ResolverOptions {
  std::vector<Nameserver> recursive_nameservers = {};  // empty: the system's resolver
  std::chrono::milliseconds try_timeout = std::chrono::milliseconds(2000);
  int tries = 2;
  std::size_t max_in_flight = AresChannelOptions{}.max_in_flight;  // per channel
  std::function<void(int)> on_answer = {};  // every channel's (AresChannelOptions)
};

class Dns01Resolver {
 public:
  Dns01Resolver(boost::asio::any_io_executor executor, Dns01ResolverOptions options);

  Result<AresChannel*> recursive();
  Result<AresChannel*> authoritative(const Nameserver& server);

 private:
  Result<AresChannel*> open(std::unique_ptr<AresChannel>& slot, std::vector<Nameserver> servers);

  boost::asio::any_io_executor executor_;
  Dns01ResolverOptions options_;
  std::unique_ptr<AresChannel> recursive_;
  std::map<std::string, std::unique_ptr<AresChannel>> authoritative_;  // by "address:port"
};

}  // namespace certmill::solvers::dns
