// may_pass_later and its waits.
#include "controller/retry_soon.hpp"

#include <algorithm>
#include <system_error>

#include "k8s/api_error.hpp"

namespace certmill::controller {
namespace {

// No answer, or an answer that says "not now". Compared as conditions, so
// the system category's errno values and the generic category's both match.
constexpr std::errc kOfTheMoment[] = {
    std::errc::timed_out,
    std::errc::connection_reset,
    std::errc::connection_refused,
    std::errc::connection_aborted,
    std::errc::broken_pipe,
    std::errc::not_connected,
    std::errc::network_down,
    std::errc::network_unreachable,
    std::errc::network_reset,
    std::errc::host_unreachable,
    std::errc::resource_unavailable_try_again,
};

}  // namespace

bool may_pass_later(const Error& error) {
  const std::error_code code = error.code();
  if (code.category() == k8s::kubernetes_category())
    return k8s::is_retryable(error);
  return std::any_of(std::begin(kOfTheMoment), std::end(kOfTheMoment),
                     [&](std::errc e) { return code == e; });
}

std::chrono::seconds retry_soon_wait(const Error& error, int attempt) {
  if (const auto after = error.retry_after())
    return std::max(*after, std::chrono::seconds(1));
  return std::min(std::chrono::seconds(1 << std::clamp(attempt, 0, 5)), std::chrono::seconds(30));
}

}  // namespace certmill::controller
