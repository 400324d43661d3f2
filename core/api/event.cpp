// JSON schema of core/v1 Event and its codec.
#include "core/api/event.hpp"

#include "core/api/schema/meta.hpp"

namespace certmill::json {

template <>
struct Schema<api::ObjectReference> {
  static constexpr auto fields = std::tuple{
      field("apiVersion", &api::ObjectReference::api_version),
      field("kind", &api::ObjectReference::kind),
      field("name", &api::ObjectReference::name),
      field("namespace", &api::ObjectReference::namespace_),
      field("uid", &api::ObjectReference::uid),
      field("resourceVersion", &api::ObjectReference::resource_version),
      field("fieldPath", &api::ObjectReference::field_path),
  };
};

template <>
struct Schema<api::EventSource> {
  static constexpr auto fields = std::tuple{
      field("component", &api::EventSource::component),
      field("host", &api::EventSource::host),
  };
};

template <>
struct Schema<api::Event> {
  static constexpr std::string_view api_version = "v1";
  static constexpr std::string_view kind = "Event";
  static constexpr auto fields = std::tuple{
      required("metadata", &api::Event::metadata),
      required("involvedObject", &api::Event::involved_object),
      field("reason", &api::Event::reason),
      field("message", &api::Event::message),
      field("type", &api::Event::type),
      field("count", &api::Event::count),
      field("firstTimestamp", &api::Event::first_timestamp),
      field("lastTimestamp", &api::Event::last_timestamp),
      field("eventTime", &api::Event::event_time),
      field("source", &api::Event::source),
      field("reportingComponent", &api::Event::reporting_component),
      field("reportingInstance", &api::Event::reporting_instance),
      field("action", &api::Event::action),
  };
};

}  // namespace certmill::json

CERTMILL_RESOURCE_CODEC(certmill::api::Event);
