// What a child process has cost so far, read from /proc as the benchmarks
// report it: CPU seconds (utime + stime from /proc/<pid>/stat), peak RSS
// (VmHWM) and current RSS (VmRSS) from /proc/<pid>/status. Header-only.
#pragma once

#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <sys/types.h>
#include <unistd.h>

namespace certmill::fleet {

struct ProcessUsage {
  double cpu_seconds = 0;
  double peak_rss_mib = 0;
  double rss_mib = 0;
};

inline ProcessUsage usage_of(pid_t pid) {
  ProcessUsage u;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const auto close = text.rfind(')');
  if (close != std::string::npos) {
    std::istringstream fields(text.substr(close + 2));
    std::string field;
    unsigned long long utime = 0, stime = 0;
    for (int i = 3; fields >> field; ++i) {
      if (i == 14)
        utime = std::stoull(field);
      if (i == 15) {
        stime = std::stoull(field);
        break;
      }
    }
    u.cpu_seconds = static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
  }
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    auto mib = [&] { return std::stod(line.substr(line.find(':') + 1)) / 1024.0; };
    if (line.starts_with("VmHWM:"))
      u.peak_rss_mib = mib();
    if (line.starts_with("VmRSS:"))
      u.rss_mib = mib();
  }
  return u;
}

}  // namespace certmill::fleet
