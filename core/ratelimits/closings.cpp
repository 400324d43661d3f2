// The closings' lines, written and read back.
#include "core/ratelimits/closings.hpp"

#include "core/time.hpp"

namespace certmill::ratelimits {

std::string format_closings(const Closings& closings) {
  std::string text;
  for (const auto& [which, until] : closings) {
    text += std::string(limit_name(which.first)) + " " +
            format_time(std::chrono::ceil<std::chrono::seconds>(until)) + " " + which.second + "\n";
  }
  return text;
}

Closings parse_closings(std::string_view text, std::size_t max) {
  Closings closings;
  while (!text.empty() && closings.size() < max) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    const auto first = line.find(' ');
    if (first == std::string_view::npos)
      continue;
    const auto second = line.find(' ', first + 1);
    const auto limit = limit_named(line.substr(0, first));
    const auto until = parse_rfc3339(line.substr(
        first + 1, second == std::string_view::npos ? std::string_view::npos : second - first - 1));
    if (!limit || !until)
      continue;
    const std::string key(second == std::string_view::npos ? std::string_view()
                                                           : line.substr(second + 1));
    closings[{*limit, key}] = *until;
  }
  return closings;
}

}  // namespace certmill::ratelimits
