// Whether the controller logged a line about an object at info level or
// above (what an operator running the defaults sees), from the lines the
// process's LogTap keeps for the current harness, and the story of one
// object when a test fails. Header-only.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tests/controller_live/log_tap.hpp"

namespace certmill::test {

// Whether `line` names `object` ("namespace/name", or a cluster-scoped name)
// as a whole word, not as the prefix of a longer name.
inline bool names_object(std::string_view line, std::string_view object) {
  for (auto at = line.find(object); at != std::string_view::npos; at = line.find(object, at + 1)) {
    const std::size_t end = at + object.size();
    const bool starts =
        at == 0 || line[at - 1] == '=' || line[at - 1] == ' ' || line[at - 1] == '"';
    const bool ends =
        end == line.size() || line[end] == ' ' || line[end] == '"' || line[end] == '\n';
    if (starts && ends)
      return true;
  }
  return false;
}

// The first line at info, warn or error that names `object`; empty when none.
inline std::string logged_about(std::string_view object) {
  for (const std::string& line : LogTap::get().lines()) {
    // A text line is "<time> <LEVEL> <message> key=value ...".
    const auto space = line.find(' ');
    if (space == std::string::npos || std::string_view(line).substr(space + 1).starts_with("DEBUG"))
      continue;
    if (names_object(line, object))
      return line;
  }
  return {};
}

// The last `most` lines at any level, debug included, that name `object`:
// the story of one object when a test fails.
inline std::vector<std::string> story_of(std::string_view object, std::size_t most = 40) {
  std::vector<std::string> lines;
  for (const std::string& line : LogTap::get().lines())
    if (names_object(line, object))
      lines.push_back(line);
  if (lines.size() > most)
    lines.erase(lines.begin(), lines.end() - static_cast<std::ptrdiff_t>(most));
  return lines;
}

}  // namespace certmill::test
