// Where the process's log records go: stderr, each line stamped with the
// system clock and written with one write(2), so lines from different shards
// never interleave; or, for a test, a function that sees each finished line.
// The Reactor installs the stderr sink when no other is set.
#pragma once

#include <functional>
#include <string_view>

namespace certmill::reactor {

// Sends log records to stderr from now on.
void log_to_stderr();
// Sends each finished line to `capture` instead (from any thread; it must
// lock what it shares); an empty function sends them to stderr again.
void capture_log(std::function<void(std::string_view line)> capture);

}  // namespace certmill::reactor
