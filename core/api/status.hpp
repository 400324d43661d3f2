// meta/v1 Status: what the API server answers when a request fails (404, 409,
// 410 Gone) and the object of a watch ERROR event.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace certmill::api {

struct StatusCause {
  std::string reason;
  std::string message;
  std::string field;  // "spec.dnsNames[0]" for a validation failure
  bool operator==(const StatusCause&) const = default;
};

struct StatusDetails {
  std::string name;
  std::string group;
  std::string kind;
  std::string uid;
  std::vector<StatusCause> causes;
  int32_t retry_after_seconds = 0;
  bool operator==(const StatusDetails&) const = default;
};

struct Status {
  std::string status;  // "Success" or "Failure"
  std::string message;
  std::string reason;  // NotFound, Conflict, Expired, AlreadyExists, Invalid ...
  std::optional<StatusDetails> details;
  int32_t code = 0;  // the HTTP status
  bool operator==(const Status&) const = default;
};

}  // namespace certmill::api
