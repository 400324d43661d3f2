// The stderr sink: the timestamp, the format chosen with log::configure, and
// a single write per line.
#include "reactor/log_sink.hpp"

#include <atomic>
#include <chrono>
#include <mutex>
#include <unistd.h>

#include "core/log.hpp"
#include "core/time.hpp"

namespace certmill::reactor {

namespace {

std::mutex g_capture_mutex;
std::function<void(std::string_view)> g_capture;
std::atomic<bool> g_capturing{false};

void write_line(std::string_view line) {
  std::size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(STDERR_FILENO, line.data() + done, line.size() - done);
    if (n <= 0)
      return;
    done += static_cast<std::size_t>(n);
  }
}

void to_stderr(log::Level level, std::string_view message,
               std::initializer_list<log::Field> fields) {
  const auto now =
      std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  std::string ts = format_micro_time(now);
  ts.erase(ts.size() - 4, 3);  // milliseconds are enough for a log line
  const std::string line = log::format_record(log::format(), level, ts, message, fields);
  if (g_capturing.load(std::memory_order_acquire)) {
    const std::lock_guard lock(g_capture_mutex);
    if (g_capture)
      return g_capture(line);
  }
  write_line(line);
}

}  // namespace

void log_to_stderr() {
  log::set_sink(&to_stderr);
}

void capture_log(std::function<void(std::string_view line)> capture) {
  const std::lock_guard lock(g_capture_mutex);
  g_capture = std::move(capture);
  g_capturing.store(static_cast<bool>(g_capture), std::memory_order_release);
  log::set_sink(&to_stderr);
}

}  // namespace certmill::reactor
