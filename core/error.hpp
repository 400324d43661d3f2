// Errors as values: what failed and where, for every I/O and decoding boundary.
// Exceptions are kept for bugs and start-up; anything the outside world can
// cause (a malformed manifest, a CA's answer) comes back as an Error.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace certmill {

enum class Errc {
  ok = 0,
  invalid_json,     // the text is not JSON (syntax, UTF-8, depth, size)
  wrong_type,       // a field holds a JSON type the schema does not allow
  missing_field,    // a required field is absent or null
  invalid_value,    // right type, wrong value (unknown enum, bad duration, out of range)
  wrong_kind,       // apiVersion or kind names another resource
  invalid_argument  // a caller's input (flags, configuration) is wrong
};

const std::error_category& certmill_category() noexcept;
inline std::error_code make_error_code(Errc e) noexcept {
  return {static_cast<int>(e), certmill_category()};
}

// An error code for programs and a message for people. The message names the
// place (a field path such as `spec.dnsNames[2]`) and the cause.
class Error {
 public:
  Error(std::error_code code, std::string message) : code_(code), message_(std::move(message)) {}
  Error(Errc code, std::string message) : Error(make_error_code(code), std::move(message)) {}

  std::error_code code() const noexcept { return code_; }
  const std::string& message() const noexcept { return message_; }
  // When the other side said when to try again (HTTP Retry-After, a
  // Status's retryAfterSeconds, an ACME rate limit).
  std::optional<std::chrono::seconds> retry_after() const noexcept { return retry_after_; }
  Error&& with_retry_after(std::chrono::seconds after) && {
    retry_after_ = after;
    return std::move(*this);
  }
  // The same error seen from a caller: `context` goes before the message,
  // and the code and the Retry-After stay, so a caller's retry still waits
  // as long as the server asked.
  Error prefixed(std::string_view context) const {
    Error outer = *this;
    outer.message_.insert(0, context);
    return outer;
  }

 private:
  std::error_code code_;
  std::string message_;
  std::optional<std::chrono::seconds> retry_after_;
};

}  // namespace certmill

template <>
struct std::is_error_code_enum<certmill::Errc> : std::true_type {};
