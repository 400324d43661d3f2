// Whether and how to colour the operator commands' output.
#include "tools/certmill/ops/terminal.hpp"

#include <cstdlib>
#include <unistd.h>

namespace certmill::ops {

std::string Paint::operator()(Colour colour, std::string_view text) const {
  if (!enabled_ || colour == Colour::none)
    return std::string(text);
  const char* code = colour == Colour::red      ? "\033[31m"
                     : colour == Colour::green  ? "\033[32m"
                     : colour == Colour::yellow ? "\033[33m"
                                                : "\033[1m";
  return code + std::string(text) + "\033[0m";
}

bool colour_wanted(bool is_terminal, const std::optional<std::string>& no_color) {
  return is_terminal && (!no_color || no_color->empty());
}

Paint stdout_paint() {
  const char* no_color = std::getenv("NO_COLOR");
  return Paint(colour_wanted(isatty(STDOUT_FILENO) == 1,
                             no_color ? std::optional<std::string>(no_color) : std::nullopt));
}

}  // namespace certmill::ops
