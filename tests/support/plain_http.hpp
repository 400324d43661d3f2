// Blocking plain-HTTP requests for tests of certmill's own listeners (metrics,
// probes, HTTP-01) and the test servers' management APIs: runs on its own io_context, bounded, so a
// stuck server fails the test instead of hanging it.
#pragma once

#include <chrono>
#include <future>
#include <stdexcept>
#include <string>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace certmill::test {

struct PlainHttpAnswer {
  unsigned status = 0;
  std::string content_type;
  std::string body;
};

// One request with a JSON body (none when empty), bounded by `bound`.
inline PlainHttpAnswer plain_http_call(unsigned short port, std::string method, std::string target,
                                       std::string body = {},
                                       std::chrono::seconds bound = std::chrono::seconds(15)) {
  namespace asio = boost::asio;
  namespace beast = boost::beast;
  namespace http = beast::http;
  asio::io_context io;
  auto answer = asio::co_spawn(
      io,
      [port, method, target, body]() -> asio::awaitable<PlainHttpAnswer> {
        beast::tcp_stream stream(co_await asio::this_coro::executor);
        stream.expires_after(std::chrono::seconds(10));
        co_await stream.async_connect(
            asio::ip::tcp::endpoint(asio::ip::address_v4::loopback(), port), asio::use_awaitable);
        http::request<http::string_body> request(http::string_to_verb(method), target, 11);
        request.set(http::field::host, "127.0.0.1");
        if (!body.empty()) {
          request.set(http::field::content_type, "application/json");
          request.body() = body;
        }
        request.prepare_payload();
        co_await http::async_write(stream, request, asio::use_awaitable);
        beast::flat_buffer buffer;
        // A fleet's /metrics runs to tens of megabytes.
        http::response_parser<http::string_body> parser;
        parser.body_limit(boost::none);
        co_await http::async_read(stream, buffer, parser, asio::use_awaitable);
        auto& response = parser.get();
        co_return PlainHttpAnswer{response.result_int(),
                                  std::string(response[http::field::content_type]),
                                  response.body()};
      },
      asio::use_future);
  io.run_for(bound);
  if (answer.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
    throw std::runtime_error(method + " " + target + " on port " + std::to_string(port) +
                             " did not finish");
  return answer.get();
}

inline PlainHttpAnswer plain_http_get(unsigned short port, std::string target,
                                      std::chrono::seconds bound = std::chrono::seconds(15)) {
  return plain_http_call(port, "GET", std::move(target), {}, bound);
}

}  // namespace certmill::test
