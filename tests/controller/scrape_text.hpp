// A Metrics scrape as text, for tests: made in the scrape's small parts, so
// resuming between rows is exercised too, and read back by whole lines.
// Header-only.
#pragma once

#include <string>

#include "controller/metrics.hpp"

namespace certmill::test {

inline std::string expose(controller::Metrics& metrics, Time now) {
  auto source = metrics.scrape(now);
  std::string text, part;
  for (bool more = true; more;) {
    part.clear();
    more = source(part);
    text += part;
  }
  return text;
}

inline bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos;
}

}  // namespace certmill::test
