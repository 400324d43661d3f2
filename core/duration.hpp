// Go-style durations ("2160h", "90m", "1h30m45s", "1.5s") as Kubernetes and
// cert-manager manifests write them.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace certmill {

using Duration = std::chrono::nanoseconds;

// Parses Go's time.ParseDuration grammar: an optional sign, then one or more
// decimal numbers, each with an optional fraction and a unit (ns, us, µs, ms,
// s, m, h). "0" alone is zero. Values beyond ±292 years are an error.
Result<Duration> parse_duration(std::string_view text);

// Go's time.Duration.String(): "2160h0m0s", "1h30m0s", "1.5s", "100ms", "0s".
std::string format_duration_go(Duration d);

// The form people write: zero components dropped ("2160h", "1h30m", "45s").
// Parses back to the same value. Used whenever certmill writes a duration.
std::string format_duration(Duration d);

}  // namespace certmill
