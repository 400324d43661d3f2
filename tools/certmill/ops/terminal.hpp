// Colour for people, plain text for pipes: colour only when stdout is a
// terminal and NO_COLOR (https://no-color.org) is unset or empty.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace certmill::ops {

enum class Colour { none, red, green, yellow, bold };

class Paint {
 public:
  explicit Paint(bool enabled) : enabled_(enabled) {}
  // `text` wrapped in the colour's escape sequences, or as it is.
  std::string operator()(Colour colour, std::string_view text) const;
  bool enabled() const { return enabled_; }

 private:
  bool enabled_;
};

// The decision, pure: `no_color` is $NO_COLOR's value if set.
bool colour_wanted(bool is_terminal, const std::optional<std::string>& no_color);
// The decision for this process's stdout.
Paint stdout_paint();

}  // namespace certmill::ops
