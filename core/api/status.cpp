// JSON schema of meta/v1 Status and its codec; also decodes the object of a
// watch ERROR event.
#include "core/api/status.hpp"

#include "core/json/codec.hpp"

namespace certmill::json {

template <>
struct Schema<api::StatusCause> {
  static constexpr auto fields = std::tuple{
      field("reason", &api::StatusCause::reason),
      field("message", &api::StatusCause::message),
      field("field", &api::StatusCause::field),
  };
};

template <>
struct Schema<api::StatusDetails> {
  static constexpr auto fields = std::tuple{
      field("name", &api::StatusDetails::name),
      field("group", &api::StatusDetails::group),
      field("kind", &api::StatusDetails::kind),
      field("uid", &api::StatusDetails::uid),
      field("causes", &api::StatusDetails::causes),
      field("retryAfterSeconds", &api::StatusDetails::retry_after_seconds),
  };
};

template <>
struct Schema<api::Status> {
  static constexpr std::string_view api_version = "v1";
  static constexpr std::string_view kind = "Status";
  static constexpr auto fields = std::tuple{
      field("status", &api::Status::status), field("message", &api::Status::message),
      field("reason", &api::Status::reason), field("details", &api::Status::details),
      field("code", &api::Status::code),
  };
};

Status decode_status(Element e, const Path& path, api::Status& out) {
  return decode_value(e, path, out);
}

}  // namespace certmill::json

// Status is never listed or watched, so it gets no list or watch decoder.
template certmill::Result<certmill::api::Status> certmill::api::decode<certmill::api::Status>(
    std::string_view);
template std::string certmill::api::encode<certmill::api::Status>(const certmill::api::Status&);
