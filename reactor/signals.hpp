// Waiting for the termination signals a Kubernetes pod receives.
#pragma once

#include <functional>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

namespace certmill::reactor {

// Completes with the signal number when SIGTERM or SIGINT arrives.
boost::asio::awaitable<int> wait_for_termination_signal();

// Calls `handler` with the signal number, on `executor`, when SIGTERM or
// SIGINT arrives. For a command's main thread to learn when to shut down.
void on_termination_signal(const boost::asio::any_io_executor& executor,
                           std::function<void(int signal)> handler);

}  // namespace certmill::reactor
