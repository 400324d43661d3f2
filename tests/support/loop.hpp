// An io_context for single-threaded tests that keeps running between polls:
// a test starts coroutines, moves a FakeClock, and runs what became ready.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

namespace certmill::test {

struct Loop {
  boost::asio::io_context io{1};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work =
      boost::asio::make_work_guard(io);
  // Runs every handler that is ready now, then returns.
  void poll() { io.poll(); }
};

}  // namespace certmill::test
