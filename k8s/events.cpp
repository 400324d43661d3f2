// Event correlation and the recorder's writes.
#include "k8s/events.hpp"

#include <algorithm>
#include <cstdio>

#include "core/json/writer.hpp"
#include "core/log.hpp"

namespace certmill::k8s {
namespace {

// client-go's spam filter: a burst of 25 per object, refilled every 5 minutes.
constexpr double kBurst = 25;
constexpr double kRefillPerSecond = 1.0 / 300;
constexpr std::size_t kMessageLimit = 1024;

std::string object_key(const api::ObjectReference& o) {
  return o.kind + "/" + o.namespace_ + "/" + o.name + "/" + o.uid;
}

uint64_t hash_of(const std::string& text) {
  return std::hash<std::string>{}(text);
}

}  // namespace

EventDecision EventCorrelator::observe(const api::Event& event, reactor::TimePoint now) {
  const std::string object = object_key(event.involved_object);
  const uint64_t object_hash = hash_of(object);
  auto filter = per_object_.find(object_hash);
  if (filter == per_object_.end()) {
    object_ages_.push_front(object_hash);
    filter = per_object_
                 .emplace(object_hash, Filter{reactor::TokenBucket(kRefillPerSecond, kBurst, now),
                                              object_ages_.begin()})
                 .first;
    if (per_object_.size() > capacity_) {
      // Forgetting a filter only gives its object a fresh burst.
      per_object_.erase(object_ages_.back());
      object_ages_.pop_back();
    }
  } else {
    object_ages_.splice(object_ages_.begin(), object_ages_, filter->second.age);
  }
  if (!filter->second.bucket.try_take(now))
    return {EventWrite::Drop, {}, 0, {}};

  const auto seconds = std::chrono::floor<std::chrono::seconds>(now);
  const uint64_t key = hash_of(object + "\x1f" + event.source.component + "\x1f" + event.type +
                               "\x1f" + event.reason + "\x1f" + event.message);
  if (auto it = seen_.find(key); it != seen_.end()) {
    ages_.splice(ages_.begin(), ages_, it->second.age);
    ++it->second.count;
    return {EventWrite::Patch, it->second.name, it->second.count, it->second.first};
  }
  // client-go names an event after its object and the time in nanoseconds;
  // a clock that has not moved (a coarse or a fake one) must not give two
  // events one name.
  const auto nanos = static_cast<unsigned long long>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count());
  last_name_nanos_ = std::max(nanos, last_name_nanos_ + 1);
  char suffix[24];
  std::snprintf(suffix, sizeof suffix, ".%llx", last_name_nanos_);
  ages_.push_front(key);
  seen_.emplace(key, Seen{event.involved_object.name + suffix, 1, seconds, ages_.begin()});
  std::string name = seen_.at(key).name;
  if (seen_.size() > capacity_) {
    seen_.erase(ages_.back());
    ages_.pop_back();
  }
  return {EventWrite::Create, std::move(name), 1, seconds};
}

asio::awaitable<void> EventRecorder::record(const api::ObjectReference& object, std::string type,
                                            std::string reason, std::string message) {
  if (message.size() > kMessageLimit)
    message.resize(kMessageLimit);
  api::Event event;
  event.involved_object = object;
  event.type = std::move(type);
  event.reason = std::move(reason);
  event.message = std::move(message);
  event.source.component = component_;
  event.reporting_component = component_;
  const auto now = clock_.now();
  const EventDecision decision = correlator_.observe(event, now);
  const auto seconds = std::chrono::floor<std::chrono::seconds>(now);
  // Events about cluster-scoped objects (a ClusterIssuer) live in "default",
  // as client-go's recorder puts them.
  const std::string ns = object.namespace_.empty() ? "default" : object.namespace_;

  if (decision.write == EventWrite::Drop)
    co_return;
  // Every new Warning is a log line too, as client-go's broadcaster logs
  // what it records: a user who reads the log and not the Events (or an
  // Event that expired) still learns what went wrong. Repeats, which only
  // count up, are not logged again.
  if (event.type == "Warning" && decision.write == EventWrite::Create)
    log::warn(event.message, {{"object", object.kind + " " + object.namespace_ +
                                             (object.namespace_.empty() ? "" : "/") + object.name},
                              {"reason", event.reason}});
  Result<api::Event> written = event;
  if (decision.write == EventWrite::Patch) {
    json::JsonWriter patch;
    patch.begin_object();
    patch.key("count");
    patch.number(decision.count);
    patch.key("lastTimestamp");
    patch.string(format_time(seconds));
    patch.end_object();
    written = co_await client_.merge_patch<api::Event>(ns, decision.name, patch.take());
  }
  // Events expire on the server (after an hour by default): a patch that
  // finds nothing creates the event again under the same name.
  if (decision.write == EventWrite::Create || (!written && is_not_found(written.error()))) {
    event.metadata.name = decision.name;
    event.metadata.namespace_ = ns;
    event.count = decision.count;
    event.first_timestamp = decision.first_timestamp;
    event.last_timestamp = seconds;
    written = co_await client_.create(event);
  }
  if (!written) {
    log::warn("recording an event failed", {{"object", object.namespace_ + "/" + object.name},
                                            {"reason", event.reason},
                                            {"error", written.error().message()}});
  }
}

}  // namespace certmill::k8s
