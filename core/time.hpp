// Kubernetes timestamps: metav1.Time ("2024-05-01T10:00:00Z", whole seconds)
// and metav1.MicroTime ("2024-05-01T10:00:00.123456Z", used by Lease and Event).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace certmill {

using Time = std::chrono::sys_seconds;
using MicroTime = std::chrono::sys_time<std::chrono::microseconds>;

// RFC 3339: a date, 'T', a time with optional fraction, and 'Z' or ±hh:mm.
// The result is UTC; a fraction finer than microseconds is truncated.
Result<MicroTime> parse_rfc3339(std::string_view text);

// Formats in UTC with 'Z', as the API server writes them.
std::string format_time(Time t);
std::string format_micro_time(MicroTime t);

}  // namespace certmill
