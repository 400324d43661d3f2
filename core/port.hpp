// A TCP or UDP port written in a URL, a Location header or a host:port flag:
// decimal digits only, 1 to 65535. Each caller says in its own words what
// was wrong where.
#pragma once

#include <optional>
#include <string_view>

namespace certmill {

std::optional<unsigned short> parse_port(std::string_view text);

}  // namespace certmill
