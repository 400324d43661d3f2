// is_transient, answer_lost and the retry backoff.
#include "issuers/acme/transient.hpp"

#include <algorithm>
#include <system_error>

namespace certmill::issuers::acme {
namespace {

namespace proto = certmill::acme;

// What a connection that breaks or never opens reports. Compared as
// conditions, so the system category's errno values and the generic
// category's both match.
constexpr std::errc kLost[] = {
    std::errc::timed_out,          std::errc::connection_reset,    std::errc::connection_refused,
    std::errc::connection_aborted, std::errc::broken_pipe,         std::errc::not_connected,
    std::errc::network_down,       std::errc::network_unreachable, std::errc::network_reset,
    std::errc::host_unreachable,
};

}  // namespace

bool answer_lost(const Error& error) {
  const std::error_code code = error.code();
  return std::any_of(std::begin(kLost), std::end(kLost),
                     [&](std::errc lost) { return code == lost; });
}

bool is_transient(const Error& error) {
  return error.code() == proto::ProblemType::ServerInternal || answer_lost(error);
}

proto::ProblemType answer_problem_type(unsigned http_status, proto::ProblemType named) {
  if (http_status >= 500 && http_status < 600 && named == proto::ProblemType::Other)
    return proto::ProblemType::ServerInternal;
  return named;
}

Duration retry_wait(const RetryBackoff& backoff, std::optional<std::chrono::seconds> retry_after,
                    int attempt, double spread) {
  const auto first = std::max(backoff.first, std::chrono::seconds(1));
  const auto max = std::max(first, backoff.max);
  if (retry_after)
    return std::max(*retry_after, std::chrono::seconds(1));
  auto wait = first;
  // Doubling past `max` stops early, so a large attempt cannot overflow.
  for (int i = 0; i < attempt && wait < max; ++i)
    wait *= 2;
  const Duration base = std::min(wait, max);
  const double stretch = 1.0 + std::clamp(spread, 0.0, 1.0) / 2;
  return std::chrono::duration_cast<Duration>(base * stretch);
}

}  // namespace certmill::issuers::acme
