// The tap: log::configure at debug, and a capture that keeps each line and
// echoes those at info and above.
#include "tests/controller_live/log_tap.hpp"

#include <mutex>
#include <string_view>
#include <unistd.h>

#include "core/log.hpp"
#include "reactor/log_sink.hpp"

namespace certmill::test {

namespace {

std::mutex mutex;
std::vector<std::string> kept;

// The level is the second word of a text line: "<time> DEBUG ...".
bool echoed(std::string_view line) {
  const auto space = line.find(' ');
  return space == std::string_view::npos || !line.substr(space + 1).starts_with("DEBUG");
}

}  // namespace

LogTap& LogTap::get() {
  static LogTap* tap = [] {
    log::configure(log::Level::debug, log::Format::text);
    reactor::capture_log([](std::string_view line) {
      {
        const std::lock_guard lock(mutex);
        kept.emplace_back(line);
      }
      if (echoed(line))
        (void)!::write(STDERR_FILENO, line.data(), line.size());
    });
    return new LogTap();
  }();
  return *tap;
}

std::vector<std::string> LogTap::lines() {
  const std::lock_guard lock(mutex);
  return kept;
}

void LogTap::clear() {
  const std::lock_guard lock(mutex);
  kept.clear();
}

}  // namespace certmill::test
