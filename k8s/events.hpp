// Events as cert-manager records them (core/v1 Events on Certificates,
// CertificateRequests, Orders, Challenges), aggregated the way client-go's
// recorder does: the same event again bumps `count` and `lastTimestamp` on
// the existing object instead of creating a new one, and an object that
// floods events is throttled (25 at once, then one per 5 minutes).
#pragma once

#include <list>
#include <string>
#include <unordered_map>

#include <boost/asio/awaitable.hpp>

#include "core/api/event.hpp"
#include "k8s/client.hpp"
#include "reactor/clock.hpp"
#include "reactor/token_bucket.hpp"

namespace certmill::k8s {

enum class EventWrite { Create, Patch, Drop };

struct EventDecision {
  EventWrite write = EventWrite::Create;
  std::string name;  // of the Event object to create or patch
  int32_t count = 1;
  Time first_timestamp{};
};

// Pure bookkeeping: remembers the last `capacity` distinct events and the
// spam filters of the last `capacity` objects, as client-go's LRU caches do.
// Both are keyed by a 64-bit hash, not the text: at 10,000 Certificates the
// texts cost megabytes, and a collision only merges two events' counts.
class EventCorrelator {
 public:
  explicit EventCorrelator(std::size_t capacity = 4096) : capacity_(capacity) {}
  EventDecision observe(const api::Event& event, reactor::TimePoint now);

 private:
  struct Seen {
    std::string name;
    int32_t count;
    Time first;
    std::list<uint64_t>::iterator age;
  };
  struct Filter {
    reactor::TokenBucket bucket;
    std::list<uint64_t>::iterator age;
  };

  std::size_t capacity_;
  std::unordered_map<uint64_t, Seen> seen_;
  std::list<uint64_t> ages_;  // of seen_, most recent first
  std::unordered_map<uint64_t, Filter> per_object_;
  std::list<uint64_t> object_ages_;  // of per_object_, most recent first
  unsigned long long last_name_nanos_ = 0;
};

class EventRecorder {
 public:
  // `capacity`: the events and objects remembered (client-go: 4096 a
  // process; a process with several recorders splits that).
  EventRecorder(Client& client, reactor::Clock& clock, std::string component,
                std::size_t capacity = 4096)
      : client_(client), clock_(clock), component_(std::move(component)), correlator_(capacity) {}

  // Records a Normal or Warning event on `object`; failures are logged, never
  // thrown: an event is worth less than the work that reports it.
  asio::awaitable<void> record(const api::ObjectReference& object, std::string type,
                               std::string reason, std::string message);

 private:
  Client& client_;
  reactor::Clock& clock_;
  std::string component_;
  EventCorrelator correlator_;
};

}  // namespace certmill::k8s
