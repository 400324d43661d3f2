// How many Certificates are Ready, from a watch: what the demo and the fleet
// benchmark show as progress. Keeps one byte per Certificate.
#pragma once

#include <atomic>
#include <cstdint>

#include "k8s/informer.hpp"

namespace certmill::fleet {

class ReadyCounter {
 public:
  explicit ReadyCounter(reactor::Reactor& reactor);
  // Starts the watch as a service on shard 0, through `client` (shard 0's).
  void start(reactor::Reactor& reactor, k8s::Client& client);

  long ready() const { return ready_.load(); }
  long total() const { return total_.load(); }

 private:
  k8s::Informer<api::Certificate, uint8_t> informer_;
  std::atomic<long> ready_{0};
  std::atomic<long> total_{0};
};

}  // namespace certmill::fleet
