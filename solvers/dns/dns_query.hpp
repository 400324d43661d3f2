// One DNS question asked through a c-ares channel and its answer read, with
// errors that say which server was asked what (for a Challenge's reason).
#pragma once

#include <chrono>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "core/result.hpp"
#include "solvers/dns/ares_channel.hpp"
#include "solvers/dns/dns_message.hpp"

namespace certmill::solvers::dns {

// `recursion_desired` off asks an authoritative server about its own data
// only. The channel must outlive the call.
boost::asio::awaitable<Result<Message>> ask(AresChannel& channel, std::string name, RecordType type,
                                            bool recursion_desired,
                                            std::chrono::steady_clock::time_point deadline);

}  // namespace certmill::solvers::dns
