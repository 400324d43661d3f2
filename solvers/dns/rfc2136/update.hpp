// Sends one RFC 2136 update (add or remove one TXT value, TSIG-signed when the
// settings carry a key) to the configured nameserver over UDP (again over TCP
// when the answer is truncated) or TCP, and judges the answer. Every wait ends
// at the deadline or when the awaiting coroutine is cancelled.
#pragma once

#include <chrono>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "core/result.hpp"
#include "solvers/dns/rfc2136/settings.hpp"
#include "solvers/dns/rfc2136/update_message.hpp"

namespace certmill::solvers::rfc2136 {

namespace asio = boost::asio;

// `zone` is the zone the server is authoritative for (found elsewhere);
// `record_name` is inside it. The error's message is what a Challenge's
// reason shows, e.g. "DNS update failed. Server replied: NOTAUTH (TSIG error
// BADSIG: ...) (nameserver 10.0.0.1:53, zone example.com)".
asio::awaitable<Status> rfc2136_update(asio::any_io_executor executor, Settings settings,
                                       std::string zone, std::string record_name,
                                       std::string txt_value, Change change,
                                       std::chrono::steady_clock::time_point deadline);

}  // namespace certmill::solvers::rfc2136
