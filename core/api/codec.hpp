// Decoding and encoding of every API type certmill reads or writes.
//
//   auto cert = api::decode<api::Certificate>(json);      // Result<Certificate>
//   auto list = api::decode_list<api::Certificate>(json); // Result<List<Certificate>>
//   std::string out = api::encode(cert.value());
//   auto ev = api::decode_watch_event<api::Certificate>(line);  // one watch line
//
// Decoding ignores unknown fields (the API grows; certmill keeps only what it
// reads) and fails with an Error naming the field path for a wrong JSON type,
// a missing required field, an unknown enum value, or a foreign apiVersion or
// kind. Encoding omits empty fields, as the Go types' `omitempty` does.
// The templates are instantiated for each API type in that type's .cpp file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/api/status.hpp"
#include "core/result.hpp"

namespace certmill::api {

// An object in a list or a watch event that did not decode: who it is, from
// its metadata, and why. One malformed object must not hide the others.
struct InvalidObject {
  std::string namespace_;
  std::string name;
  std::string resource_version;
  Error error;  // names the field path
  std::string uid = {};
};

// A page of a LIST answer; items that did not decode are in `invalid`.
template <class T>
struct List {
  std::string resource_version;
  std::string continue_token;
  std::optional<int64_t> remaining_item_count;
  std::vector<T> items;
  std::vector<InvalidObject> invalid;
};

template <class T>
Result<T> decode(std::string_view json);

template <class T>
Result<List<T>> decode_list(std::string_view json);

template <class T>
std::string encode(const T& object);

enum class WatchEventType { Added, Modified, Deleted, Bookmark, Error };

// One line of a watch stream. Which member is set depends on `type`: `object`
// for ADDED, MODIFIED and DELETED; `bookmark_resource_version` for BOOKMARK,
// whose object carries nothing else; `error` for ERROR (410 Expired means the
// watcher must relist).
template <class T>
struct WatchEvent {
  WatchEventType type = WatchEventType::Added;
  std::optional<T> object;
  std::string bookmark_resource_version;
  std::optional<Status> error;
  // Set instead of `object` when the event is well formed but its object
  // does not decode.
  std::optional<InvalidObject> invalid;
};

template <class T>
Result<WatchEvent<T>> decode_watch_event(std::string_view json);

}  // namespace certmill::api
