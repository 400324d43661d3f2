// Opens the shard's channels on first use and keeps them.
#include "solvers/dns/dns01_resolver.hpp"

namespace certmill::solvers::dns {

Dns01Resolver::Dns01Resolver(boost::asio::any_io_executor executor, Dns01ResolverOptions options)
    : executor_(std::move(executor)), options_(std::move(options)) {}

Result<AresChannel*> Dns01Resolver::open(std::unique_ptr<AresChannel>& slot,
                                         std::vector<Nameserver> servers) {
  if (!slot) {
    auto channel = AresChannel::open(executor_, {.servers = std::move(servers),
                                                 .try_timeout = options_.try_timeout,
                                                 .tries = options_.tries,
                                                 .answers_as_they_are = true,
                                                 .max_in_flight = options_.max_in_flight,
                                                 .on_answer = options_.on_answer});
    if (!channel)
      return channel.error();
    slot = std::move(*channel);
  }
  return slot.get();
}

Result<AresChannel*> Dns01Resolver::recursive() {
  return open(recursive_, options_.recursive_nameservers);
}

Result<AresChannel*> Dns01Resolver::authoritative(const Nameserver& server) {
  return open(authoritative_[format_nameservers({server})], {server});
}

}  // namespace certmill::solvers::dns
