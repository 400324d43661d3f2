// A test's HTTP server that answers every connection with the same raw bytes
// (status line, headers, body: anything, malformed included), or with
// nothing at all while the connection stays open, and records each request's
// head; a test may change the reply as it goes. Runs on its own thread on
// 127.0.0.1, on a free port; stops when destroyed.
#pragma once

#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace certmill::test {

class ScriptedHttp {
 public:
  // `reply`: what every request gets; empty answers nothing, ever.
  explicit ScriptedHttp(std::string reply) : reply_(std::move(reply)) {
    namespace asio = boost::asio;
    using tcp = asio::ip::tcp;
    acceptor_.open(tcp::v4());
    acceptor_.bind({asio::ip::address_v4::loopback(), 0});
    acceptor_.listen();
    asio::co_spawn(io_, accept(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~ScriptedHttp() {
    io_.stop();
    thread_.join();
  }

  unsigned short port() const { return acceptor_.local_endpoint().port(); }
  // What the connections accepted from now on get.
  void reply_with(std::string reply) {
    const std::lock_guard lock(mutex_);
    reply_ = std::move(reply);
  }
  std::vector<std::string> heads() const {
    const std::lock_guard lock(mutex_);
    return heads_;
  }

 private:
  boost::asio::awaitable<void> accept() {
    for (;;) {
      auto socket = co_await acceptor_.async_accept(boost::asio::use_awaitable);
      boost::asio::co_spawn(io_, serve(std::move(socket)), boost::asio::detached);
    }
  }

  boost::asio::awaitable<void> serve(boost::asio::ip::tcp::socket socket) {
    namespace asio = boost::asio;
    asio::streambuf head;
    co_await asio::async_read_until(socket, head, "\r\n\r\n", asio::use_awaitable);
    std::string reply;
    {
      const std::lock_guard lock(mutex_);
      heads_.emplace_back(asio::buffers_begin(head.data()), asio::buffers_end(head.data()));
      reply = reply_;
    }
    if (reply.empty()) {
      // Holds the connection, answering nothing, until the server stops.
      asio::steady_timer forever(io_, std::chrono::hours(1));
      co_await forever.async_wait(asio::use_awaitable);
    }
    co_await asio::async_write(socket, asio::buffer(reply), asio::use_awaitable);
  }

  std::string reply_;
  boost::asio::io_context io_{1};
  boost::asio::ip::tcp::acceptor acceptor_{io_};
  std::thread thread_;
  mutable std::mutex mutex_;
  std::vector<std::string> heads_;
};

// "HTTP/1.1 <status>" with a Content-Length for `body` and `headers` ("Name:
// value\r\n" each).
inline std::string http_reply(unsigned status, const std::string& body,
                              const std::string& headers = {}) {
  return "HTTP/1.1 " + std::to_string(status) +
         " X\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + headers +
         "Connection: close\r\n\r\n" + body;
}

}  // namespace certmill::test
