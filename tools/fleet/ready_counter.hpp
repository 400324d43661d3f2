// How many Certificates are Ready, from a watch: what the demo and the fleet
// benchmark show as progress. Keeps a Certificate's name and one flag.
#pragma once

#include <atomic>
#include <string>

#include "k8s/informer.hpp"

namespace certmill::fleet {

// What the counter caches of a Certificate.
struct ReadyView {
  std::string namespace_;
  std::string name;
  bool ready = false;
  bool operator==(const ReadyView&) const = default;
};

class ReadyCounter {
 public:
  explicit ReadyCounter(reactor::Reactor& reactor);
  // Starts the watch as a service on shard 0, through `client` (shard 0's).
  void start(reactor::Reactor& reactor, k8s::Client& client);

  long ready() const { return ready_.load(); }
  long total() const { return total_.load(); }

 private:
  k8s::Informer<api::Certificate, ReadyView> informer_;
  std::atomic<long> ready_{0};
  std::atomic<long> total_{0};
};

}  // namespace certmill::fleet
