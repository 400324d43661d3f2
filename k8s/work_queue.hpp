// WorkQueue: which objects a shard reconciles next, in the kube-rs style. An
// item is a kind and an object's key; it is queued at most once (the earliest due time wins), is
// never handed out twice at once (a key re-queued while it runs comes back after done()), and
// failing keys back off exponentially with jitter. Pure data: time and randomness come in as
// arguments, so every behaviour is tested without a clock.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/duration.hpp"

namespace certmill::k8s {

// One object to reconcile: its kind (a number the queue's user gives each of
// its kinds) and its "namespace/name" or "name".
struct WorkItem {
  std::uint8_t kind = 0;
  std::string key;
  bool operator==(const WorkItem&) const = default;
};

struct WorkItemHash {
  std::size_t operator()(const WorkItem& item) const {
    return std::hash<std::string>{}(item.key) ^ (std::size_t{item.kind} * 0x9e3779b97f4a7c15u);
  }
};

class WorkQueue {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  struct Backoff {
    Duration initial = std::chrono::seconds(5);
    Duration max = std::chrono::minutes(5);
    double jitter = 0.2;
  };

  WorkQueue() = default;
  explicit WorkQueue(Backoff backoff) : backoff_(backoff) {}

  // Queues `item` to run at `due`; if it is already queued, the earlier time
  // stays. A key that is running now runs again after done(). A key whose
  // last failure carried the server's Retry-After waits that out first.
  void add(const WorkItem& item, TimePoint due);
  // The queued key with the earliest due time at or before `now`, now
  // marked running; nothing if no key is due. `waited`, if given, receives
  // how long the key was due before it was taken (the queue's latency).
  std::optional<WorkItem> pop(TimePoint now, Duration* waited = nullptr);
  // The reconcile of `item` finished; it succeeded, so its backoff resets.
  void done(const WorkItem& item);
  // The reconcile of `item` failed: it runs again after its next backoff delay
  // (`random01` in [0, 1) draws the jitter), and not before `retry_after`
  // (the server's Retry-After, when the failure carried one). Returns the
  // delay.
  Duration failed(const WorkItem& item, TimePoint now, double random01,
                  Duration retry_after = Duration::zero());
  // Drops a deleted object's key, queued or not, and its backoff.
  void forget(const WorkItem& item);

  std::optional<TimePoint> next_due() const;
  std::size_t queued() const { return by_due_.size(); }
  // Keys whose last reconcile failed: each waits for its retry (or runs it).
  std::size_t failing() const { return failing_; }
  std::size_t running() const;
  bool contains(const WorkItem& item) const;

 private:
  struct Entry {
    std::optional<TimePoint> queued_at;    // position in by_due_, when queued
    std::optional<TimePoint> rerun_after;  // re-added while running
    TimePoint held_until{};                // the server's Retry-After: no run before
    bool running = false;
    unsigned failures = 0;
    std::uint64_t order = 0;
  };
  using DueKey = std::pair<TimePoint, std::uint64_t>;  // ties run in arrival order

  // `stored_key` is entries_' own copy, which by_due_ points at.
  void enqueue(const WorkItem& stored_key, Entry& entry, TimePoint due);
  void drop_if_idle(const WorkItem& item);

  Backoff backoff_;
  std::unordered_map<WorkItem, Entry, WorkItemHash> entries_;
  // Points at the keys of entries_, whose nodes never move: one copy of
  // each key, not two (a renewal timer per Certificate adds up).
  std::map<DueKey, const WorkItem*> by_due_;
  std::uint64_t arrivals_ = 0;
  std::size_t failing_ = 0;
};

}  // namespace certmill::k8s
