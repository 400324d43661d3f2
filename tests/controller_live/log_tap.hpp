// Every log line of a live test process, at the most verbose level, kept in
// memory for the secrets scan (exposure_scan.hpp) from the first harness on.
// Lines at info and above still go to stderr, so a failing test shows its
// log as before. Installed once for the process and never taken down: the
// controllers of consecutive tests log into the same tap.
#pragma once

#include <string>
#include <vector>

namespace certmill::test {

class LogTap {
 public:
  // The tap, installed on first use.
  static LogTap& get();

  std::vector<std::string> lines();
  // Forgets the lines kept so far: each harness scans its own.
  void clear();
};

}  // namespace certmill::test
