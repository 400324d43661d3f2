// Test helpers for reading files of the source tree.
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace certmill::test {

// Reads a file given relative to the repository root.
inline std::string read_file(const std::string& relative) {
  std::ifstream in(std::string(CERTMILL_SOURCE_DIR) + "/" + relative, std::ios::binary);
  if (!in)
    throw std::runtime_error("cannot open test file " + relative);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace certmill::test
