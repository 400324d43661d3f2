// Errors from the API server: the HTTP status as an error code in the
// "kubernetes" category, with the Status object's message, so callers branch
// on is_conflict() / is_gone() and people read what the server said.
#pragma once

#include <string_view>

#include "core/error.hpp"

namespace certmill::k8s {

const std::error_category& kubernetes_category() noexcept;

// Builds the Error for a non-2xx answer from its status and body (a Status
// object when the server sent one) and its Retry-After header, if any.
Error api_error(unsigned http_status, std::string_view body, std::string_view retry_after_header);

bool is_api_error(const Error& e, unsigned http_status);
inline bool is_not_found(const Error& e) {
  return is_api_error(e, 404);
}
inline bool is_conflict(const Error& e) {
  return is_api_error(e, 409);
}
inline bool is_gone(const Error& e) {
  return is_api_error(e, 410);
}
inline bool is_too_many_requests(const Error& e) {
  return is_api_error(e, 429);
}
// 422: the object broke the API server's validation (its schema, a CEL
// rule); sending it again changes nothing.
inline bool is_invalid(const Error& e) {
  return is_api_error(e, 422);
}
// The HTTP status of an API error; 0 for a failure without an answer.
unsigned error_status(const Error& e);
// 429 and 5xx: worth retrying after a backoff; other errors need a change.
bool is_retryable(const Error& e);

}  // namespace certmill::k8s
