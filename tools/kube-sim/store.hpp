// The object store: every object as Boost.JSON, one global resourceVersion,
// a bounded history of events for watch resumes, and the live watchers. It
// runs on one thread, so it needs no locks.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "tools/kube-sim/resources.hpp"
#include "tools/kube-sim/selectors.hpp"

namespace certmill::kubesim {

using Line = std::shared_ptr<const std::string>;

// One watch stream's filter and its queue of serialized events. The server
// drains the queue; the store fills it.
struct Watcher {
  std::string type_key;
  std::string ns;  // empty: every namespace
  Selector labels;
  Selector fields;
  bool bookmarks = false;
  std::string bookmark_api_version;
  std::string bookmark_kind;
  // Set for `kubectl get -w`: turns an event into its Table line.
  std::function<std::string(std::string_view type, const boost::json::object&)> render;
  std::deque<Line> queue;
  std::function<void()> wake;
  bool closing = false;  // end the stream once the queue is drained
  std::uint64_t delivered_rv = 0;
  std::size_t max_queue = 1 << 20;

  bool wants(const boost::json::object& object) const;
  void push(Line line);
};

struct HistoryEntry {
  std::uint64_t rv;
  std::string type_key;
  std::string event;
  std::shared_ptr<const boost::json::object> object;
  Line line;
};

class Store {
 public:
  using Bucket = std::map<std::string, boost::json::object>;  // "ns/name" → object

  explicit Store(std::size_t history_limit) : history_limit_(history_limit) {}

  std::uint64_t rv() const { return rv_; }
  std::uint64_t next_rv() { return ++rv_; }
  Bucket& bucket(const std::string& type_key) { return buckets_[type_key]; }
  std::map<std::string, Bucket>& buckets() { return buckets_; }
  static std::string key(std::string_view ns, std::string_view name);
  boost::json::object* find(const std::string& type_key, std::string_view ns,
                            std::string_view name);

  // Tells the watchers about a change; `object` carries its new version.
  void record(const std::string& type_key, std::string_view event,
              const boost::json::object& object, std::uint64_t rv);

  // Events with rv > history_start() are all in history().
  std::uint64_t history_start() const { return history_start_; }
  const std::deque<HistoryEntry>& history() const { return history_; }
  void forget_history();

  void add_watcher(const std::shared_ptr<Watcher>& w) { watchers_.push_back(w); }
  void remove_watcher(const Watcher* w);
  std::size_t watcher_count() const { return watchers_.size(); }
  // Ends every watch stream (fault injection).
  void close_watchers();
  // Sends every watcher `line` as if it were an event (fault injection: a
  // stream that carries garbage or a truncated event).
  void send_raw(const std::string& line);
  // Sends a BOOKMARK at the current version to every watcher that asked.
  void bookmark_all();
  // Fault injection, a watch that falls behind the store right after a
  // given write: from the first event of `type_key` whose line contains
  // every string of `from`, that type's events reach no watcher (history
  // keeps them) until release_held() delivers them in order.
  void hold_events(std::string type_key, std::vector<std::string> from);
  void release_held();

 private:
  std::uint64_t rv_ = 1;
  std::map<std::string, Bucket> buckets_;
  std::deque<HistoryEntry> history_;
  std::size_t history_limit_;
  std::uint64_t history_start_ = 1;
  std::list<std::shared_ptr<Watcher>> watchers_;
  struct Hold {
    std::string type_key;
    std::vector<std::string> from;
    bool started = false;
    std::vector<HistoryEntry> events;
  };
  std::optional<Hold> hold_;
  void deliver(const std::string& type_key, std::string_view event,
               const boost::json::object& object, std::uint64_t rv, const Line& line);
};

std::string event_line(std::string_view type, const boost::json::object& object);
std::string bookmark_line(const Watcher& w, std::uint64_t rv);

}  // namespace certmill::kubesim
