// A small plain-HTTP/1.1 server for what certmill serves itself: Prometheus
// metrics, the kubelet's probes, and ACME HTTP-01 challenge answers: routes
// by path over an HttpListener (connections, deadlines and size caps), GET
// and HEAD only, bodies whole or made part by part. Addresses are given in
// Go's host:port form, as cert-manager's flags take them.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "core/duration.hpp"
#include "core/result.hpp"
#include "reactor/http_listener.hpp"

namespace certmill::reactor {

namespace asio = boost::asio;

struct HttpServerOptions {
  // The flag that sets the address, named in the error when it cannot be used.
  std::string flag = "--metrics-listen-address";
  // Bounds a whole request, and the idle gap before one on a keep-alive
  // connection (Go's ReadTimeout, which cert-manager's servers set).
  Duration read_timeout = std::chrono::seconds(10);
  Duration write_timeout = std::chrono::seconds(10);
  // The request line and headers, and separately a body: scrapes, probes and
  // ACME validations send a few hundred bytes.
  std::size_t max_request_bytes = 16 * 1024;
  // Connections past this are closed as soon as they are accepted.
  std::size_t max_connections = 256;
};

// A body written as it is made: each call appends the next part to `out`
// (its capacity is kept between calls) and returns false once the body is
// complete. Sent in HTTP/1.1 chunks, so a large answer (the /metrics of a
// large fleet) never sits in memory whole.
using BodySource = std::function<bool(std::string& out)>;

struct HttpReply {
  unsigned status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  // When set, the body is what it makes and `body` is not sent.
  BodySource source = {};
};

// Answers a GET or HEAD for `path` (without its query string). Runs on the
// server's executor; an exception is a 500 for that request.
using HttpHandler = std::function<HttpReply(std::string_view path)>;

class HttpServer {
 public:
  // Binds `address` at once, so port() is known and a taken port fails at
  // start-up: "cannot listen on 127.0.0.1:9402: address in use; pass
  // --metrics-listen-address to choose another". `executor` runs on one
  // thread (a shard's): connections and handlers run there, unlocked.
  static Result<std::unique_ptr<HttpServer>> listen(const asio::any_io_executor& executor,
                                                    std::string_view address,
                                                    HttpServerOptions options = {});
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // The bound port (the chosen one for port 0).
  unsigned short port() const;

  // Routes, registered before run(). An exact path wins over a prefix; among
  // prefixes the longest wins. Other paths get a 404, methods other than GET
  // and HEAD a 405.
  void route(std::string path, HttpHandler handler);
  void route_prefix(std::string prefix, HttpHandler handler);

  // Accepts and serves connections until cancelled through the awaiting
  // coroutine's cancellation slot (as the reactor's services are). Then it
  // closes the listening socket and every open connection, and returns once
  // they are gone. Runs once.
  asio::awaitable<void> run();

 private:
  struct Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace certmill::reactor
