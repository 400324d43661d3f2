// Reads /proc/self for the process_* series, and mallinfo2 for the heap.
#include "controller/process_metrics.hpp"

#include <dirent.h>
#include <fstream>
#include <malloc.h>
#include <sstream>
#include <string>
#include <unistd.h>

namespace certmill::controller {

namespace {

prometheus::MetricFamily gauge(std::string name, std::string help, double value,
                               prometheus::MetricType type = prometheus::MetricType::Gauge) {
  prometheus::MetricFamily family;
  family.name = std::move(name);
  family.help = std::move(help);
  family.type = type;
  prometheus::ClientMetric metric;
  if (type == prometheus::MetricType::Counter)
    metric.counter.value = value;
  else
    metric.gauge.value = value;
  family.metric.push_back(std::move(metric));
  return family;
}

struct Stat {
  double cpu_seconds = 0;
  double start_seconds = 0;  // since boot
  double resident_bytes = 0;
  double virtual_bytes = 0;
};

Stat read_stat() {
  Stat s;
  std::ifstream in("/proc/self/stat");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = text.rfind(')');
  if (close == std::string::npos)
    return s;
  // Fields after the command name, numbered as proc(5) numbers them.
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  double utime = 0;
  for (int i = 3; fields >> field; ++i) {
    if (i == 14)
      utime = std::stod(field);
    else if (i == 15)
      s.cpu_seconds = (utime + std::stod(field)) / tick;
    else if (i == 22)
      s.start_seconds = std::stod(field) / tick;
    else if (i == 23)
      s.virtual_bytes = std::stod(field);
    else if (i == 24) {
      s.resident_bytes = std::stod(field) * page;
      break;
    }
  }
  return s;
}

double boot_time() {
  std::ifstream in("/proc/stat");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("btime ", 0) == 0)
      return std::stod(line.substr(6));
  }
  return 0;
}

double open_fds() {
  double n = 0;
  if (DIR* dir = ::opendir("/proc/self/fd")) {
    while (const dirent* entry = ::readdir(dir)) {
      if (entry->d_name[0] != '.')
        ++n;
    }
    ::closedir(dir);
  }
  return n - 1;  // the directory's own descriptor
}

}  // namespace

std::vector<prometheus::MetricFamily> ProcessMetrics::Collect() const {
  const Stat s = read_stat();
  const struct mallinfo2 heap = mallinfo2();
  std::vector<prometheus::MetricFamily> families;
  families.push_back(gauge("process_cpu_seconds_total",
                           "Total user and system CPU time spent in seconds.", s.cpu_seconds,
                           prometheus::MetricType::Counter));
  families.push_back(
      gauge("process_resident_memory_bytes", "Resident memory size in bytes.", s.resident_bytes));
  families.push_back(
      gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", s.virtual_bytes));
  families.push_back(gauge("process_start_time_seconds",
                           "Start time of the process since unix epoch in seconds.",
                           boot_time() + s.start_seconds));
  families.push_back(gauge("process_open_fds", "Number of open file descriptors.", open_fds()));
  families.push_back(gauge("certmill_heap_in_use_bytes",
                           "Bytes the allocator has handed out and not got back (mallinfo2).",
                           static_cast<double>(heap.uordblks + heap.hblkhd)));
  return families;
}

}  // namespace certmill::controller
