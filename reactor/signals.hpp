// Waiting for the termination signals a Kubernetes pod receives.
#pragma once

#include <boost/asio/awaitable.hpp>

namespace certmill::reactor {

// Completes with the signal number when SIGTERM or SIGINT arrives.
boost::asio::awaitable<int> wait_for_termination_signal();

}  // namespace certmill::reactor
