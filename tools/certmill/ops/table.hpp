// Text output as kubectl prints it: aligned columns with upper-case headers
// and ages such as "5d" or "3h20m". Pure, so the layout is unit-tested.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "core/time.hpp"

namespace certmill::ops {

using Row = std::vector<std::string>;

// Columns padded to their widest cell and three spaces apart, no trailing
// spaces, one line per row after the header. Width counts UTF-8 code points.
std::string format_table(const Row& header, const std::vector<Row>& rows);

// Kubernetes' HumanDuration (kubectl's AGE column): "45s", "3m20s", "5h",
// "12d", "2y30d"; "<invalid>" for a negative duration beyond a second.
std::string human_duration(std::chrono::seconds d);

// A time relative to `now` for people: "in 12d", "3h ago".
std::string relative_time(Time t, Time now);

}  // namespace certmill::ops
