// from_chars stops at the first non-digit and refuses signs; what remains is
// the range check.
#include "core/port.hpp"

#include <charconv>

namespace certmill {

std::optional<unsigned short> parse_port(std::string_view text) {
  unsigned value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || text.front() == '+' || ec != std::errc() || stop != end || value == 0 ||
      value > 65535)
    return std::nullopt;
  return static_cast<unsigned short>(value);
}

}  // namespace certmill
