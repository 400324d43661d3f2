// A loopback port nothing listens on right now, for a server a test or a
// benchmark starts and must address (a controller's /metrics, a solver
// listener). Another process may take it before it is used; callers that
// can read the port a server bound on 127.0.0.1:0 should do that instead.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace certmill::fleet {

inline unsigned short free_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(
      io, boost::asio::ip::tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0));
  return acceptor.local_endpoint().port();
}

}  // namespace certmill::fleet
