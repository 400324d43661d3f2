// WatchState: what a watcher does next, as an explicit state machine.
//
//   Empty ──list──► Listing(continue) ──last page──► Watching(rv)
//     ▲                 │ 410 (continue expired)        │ event or bookmark: rv advances
//     └─────────────────┴──────── 410 Gone ◄────────────┤ stream ends: watch again from rv
//
// Pure: the driver performs the request, feeds back what happened, and asks
// for the next request. Backoff after errors is the driver's choice.
#pragma once

#include <string>
#include <variant>

namespace certmill::k8s {

struct ListRequest {
  std::string continue_token;  // empty for the first page
};
struct WatchRequest {
  std::string resource_version;
};
using WatchAction = std::variant<ListRequest, WatchRequest>;

class WatchState {
 public:
  enum class Phase { Empty, Listing, Watching };

  WatchAction next() const;
  Phase phase() const { return phase_; }
  const std::string& resource_version() const { return resource_version_; }
  // True once a complete list has been seen: the cache may report "synced".
  bool listed_once() const { return listed_once_; }

  // A LIST page arrived. An empty continue token ends the list; the caller
  // then replaces its cache with what the pages held.
  void on_list_page(const std::string& resource_version, const std::string& continue_token);
  // An ADDED, MODIFIED, DELETED or BOOKMARK event carried this version.
  void on_event(const std::string& resource_version);
  // 410 Gone on a watch or on a list continuation: start over with a list.
  void on_gone();
  // The watch stream ended (timeout, dropped connection, silence): watch
  // again from the last version seen. During a list: start the list over.
  void on_stream_end();

 private:
  Phase phase_ = Phase::Empty;
  std::string resource_version_;
  std::string continue_token_;
  bool listed_once_ = false;
};

}  // namespace certmill::k8s
