// The "kubernetes" error category and the mapping from HTTP answers to Errors.
#include "k8s/api_error.hpp"

#include <charconv>
#include <string>

#include "core/api/codec.hpp"
#include "core/api/status.hpp"

namespace certmill::k8s {
namespace {

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "kubernetes"; }
  std::string message(int ev) const override { return "HTTP " + std::to_string(ev); }
};

}  // namespace

const std::error_category& kubernetes_category() noexcept {
  static const Category category;
  return category;
}

Error api_error(unsigned http_status, std::string_view body, std::string_view retry_after_header) {
  const std::error_code code(static_cast<int>(http_status), kubernetes_category());
  std::string message;
  int32_t status_retry = 0;
  if (auto status = api::decode<api::Status>(body); status && !status->message.empty()) {
    message = status->message;
    if (!status->reason.empty())
      message += " (" + status->reason + ")";
    if (status->details)
      status_retry = status->details->retry_after_seconds;
  } else {
    // Not a Status: quote the start of whatever came back.
    message = "HTTP " + std::to_string(http_status) + ": " +
              std::string(body.substr(0, std::min<std::size_t>(body.size(), 200)));
  }
  Error error(code, std::move(message));
  int seconds = 0;
  const auto* end = retry_after_header.data() + retry_after_header.size();
  if (std::from_chars(retry_after_header.data(), end, seconds).ptr == end && seconds > 0) {
    return std::move(error).with_retry_after(std::chrono::seconds(seconds));
  }
  if (status_retry > 0)
    return std::move(error).with_retry_after(std::chrono::seconds(status_retry));
  return error;
}

bool is_api_error(const Error& e, unsigned http_status) {
  return e.code().category() == kubernetes_category() &&
         e.code().value() == static_cast<int>(http_status);
}

unsigned error_status(const Error& e) {
  return e.code().category() == kubernetes_category() ? static_cast<unsigned>(e.code().value()) : 0;
}

bool is_retryable(const Error& e) {
  if (e.code().category() != kubernetes_category())
    return true;  // transport failures
  const int status = e.code().value();
  return status == 429 || status >= 500;
}

}  // namespace certmill::k8s
