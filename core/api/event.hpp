// core/v1 Event: what certmill reports on an object ("Issuing", "Issued",
// "Failed"), shown by `kubectl describe`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/api/meta.hpp"

namespace certmill::api {

// core/v1 ObjectReference: the object an Event is about.
struct ObjectReference {
  std::string api_version;
  std::string kind;
  std::string name;
  std::string namespace_;
  std::string uid;
  std::string resource_version;
  std::string field_path;
  bool operator==(const ObjectReference&) const = default;
};

struct EventSource {
  std::string component;
  std::string host;
  bool operator==(const EventSource&) const = default;
};

struct Event {
  ObjectMeta metadata;
  ObjectReference involved_object;
  std::string reason;
  std::string message;
  std::string type;  // "Normal" or "Warning"
  int32_t count = 0;
  std::optional<Time> first_timestamp;
  std::optional<Time> last_timestamp;
  std::optional<MicroTime> event_time;
  EventSource source;
  std::string reporting_component;
  std::string reporting_instance;
  std::string action;
  bool operator==(const Event&) const = default;
};

}  // namespace certmill::api
