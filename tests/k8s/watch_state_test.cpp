// WatchState: every transition of the watcher's state machine.
#include "k8s/watch_state.hpp"

#include <catch2/catch.hpp>

using namespace certmill::k8s;

namespace {
std::string listing(const WatchState& s) {
  return std::get<ListRequest>(s.next()).continue_token;
}
std::string watching(const WatchState& s) {
  return std::get<WatchRequest>(s.next()).resource_version;
}
}  // namespace

TEST_CASE("a watcher lists page by page, then watches from the list's version") {
  WatchState s;
  CHECK(s.phase() == WatchState::Phase::Empty);
  CHECK(listing(s).empty());
  s.on_list_page("100", "token-1");
  CHECK(s.phase() == WatchState::Phase::Listing);
  CHECK(listing(s) == "token-1");
  CHECK_FALSE(s.listed_once());
  s.on_list_page("100", "");
  CHECK(s.phase() == WatchState::Phase::Watching);
  CHECK(watching(s) == "100");
  CHECK(s.listed_once());
}

TEST_CASE("events and bookmarks advance the version: a dropped stream resumes from it") {
  WatchState s;
  s.on_list_page("100", "");
  s.on_event("105");
  s.on_event("");     // an event without a version changes nothing
  s.on_event("110");  // a bookmark
  s.on_stream_end();
  CHECK(watching(s) == "110");
}

TEST_CASE("410 Gone while watching goes back to a full list") {
  WatchState s;
  s.on_list_page("100", "");
  s.on_event("120");
  s.on_gone();
  CHECK(s.phase() == WatchState::Phase::Empty);
  CHECK(listing(s).empty());
  CHECK(s.listed_once());  // the cache stays synced while it relists
}

TEST_CASE("a list cut short or with an expired continue token starts over") {
  WatchState a;
  a.on_list_page("100", "token-1");
  a.on_gone();
  CHECK(listing(a).empty());

  WatchState b;
  b.on_list_page("100", "token-1");
  b.on_stream_end();
  CHECK(listing(b).empty());
  CHECK(b.phase() == WatchState::Phase::Empty);
}
