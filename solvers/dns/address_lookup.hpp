// A name's IPv4 and IPv6 addresses, looked up with c-ares on the calling
// coroutine's executor: asked of the given nameservers, or with none of the
// system's resolver configuration (/etc/resolv.conf, then the hosts file first
// as glibc does: /etc/hosts, or the file CARES_HOSTS names). The wait has a deadline and ends when
// the coroutine is cancelled; no thread is blocked.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address.hpp>

#include "core/result.hpp"
#include "solvers/dns/nameservers.hpp"

namespace certmill::solvers {

namespace asio = boost::asio;

asio::awaitable<Result<std::vector<asio::ip::address>>> lookup_addresses(
    std::string name, std::vector<Nameserver> nameservers,
    std::chrono::steady_clock::duration timeout);

}  // namespace certmill::solvers
