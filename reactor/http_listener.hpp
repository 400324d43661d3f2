// HttpListener: the server core that certmill's own endpoints (metrics,
// probes, HTTP-01 answers), kube-sim and acme-front share. It binds a Go-style
// host:port, accepts plain or TLS connections, runs one coroutine per
// connection under deadlines for the idle wait, the request and each write,
// caps headers and bodies, answers a request it cannot read with the
// listener's refusal, and hands every request to one handler. What a server
// answers is its handler's; how bytes move is here. Beast stays inside
// http_listener.cpp.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "core/duration.hpp"
#include "core/result.hpp"
#include "reactor/http_header.hpp"

namespace certmill::reactor {

namespace asio = boost::asio;

// A listen address in Go's host:port form: "0.0.0.0:9402", "[::1]:9402",
// ":9403" (every interface), "127.0.0.1:0" (a free port). The host is an IP
// address or "localhost"; names are not resolved.
struct ListenAddress {
  std::string host;  // without brackets; empty means every interface
  unsigned short port = 0;
};

// The error's message is the cause alone ("missing port in address");
// HttpListener::listen() puts it in context.
Result<ListenAddress> parse_listen_address(std::string_view address);

struct ServerRequest {
  std::string method;
  std::string target;  // path and query, as sent
  unsigned version = 11;
  std::vector<HttpHeader> headers;
  std::string body = {};

  std::string_view header(std::string_view name) const { return find_header(headers, name); }
  bool head() const { return method == "HEAD"; }
};

struct ServerResponse {
  unsigned status = 200;
  std::vector<HttpHeader> headers = {};  // in order; repeats allowed
  std::string body = {};
};

// Writes the answer to one request: either reply() once, or start_chunks(),
// any number of chunk() and end_chunks(), or reset() for none. Each write has
// the listener's write deadline; false means the connection failed and the
// handler should return. A HEAD request gets the headers alone (with the
// length a GET body would have), whatever the handler passes.
class Responder {
 public:
  virtual ~Responder() = default;
  virtual asio::awaitable<bool> reply(ServerResponse response) = 0;
  virtual asio::awaitable<bool> start_chunks(ServerResponse head) = 0;
  // The parts go out as one chunk; an empty chunk is not sent (it would end
  // the body).
  virtual asio::awaitable<bool> chunk(std::span<const std::string_view> parts) = 0;
  virtual asio::awaitable<bool> end_chunks() = 0;
  // Instead of an answer: closes the connection at once with a TCP reset, as
  // a server that crashed mid-request would, so that test servers can show a
  // client that failure. Nothing more is written or read on it.
  virtual void reset() = 0;
};

// Answers one request. Runs on the listener's executor, one request of a
// connection at a time. Returning false closes the connection after the
// answer. An exception ends the connection (and is logged).
using ServerHandler = std::function<asio::awaitable<bool>(ServerRequest&, Responder&)>;

// The answer to a request that cannot be read: 400 (not HTTP/1.1), 413 (the
// body) or 431 (the headers), and why.
using Refusal = std::function<ServerResponse(unsigned status, std::string why)>;

struct TlsIdentity {
  std::string certificate_pem;  // the chain, leaf first
  std::string key_pem;
};

struct HttpListenerOptions {
  // The flag that sets the address, named in errors; empty names none.
  std::string flag;
  // From accepting, or the last answer, to the end of the next request's
  // headers: a keep-alive connection that stays silent is closed.
  Duration idle_timeout = std::chrono::seconds(10);
  // From the headers to the end of the body.
  Duration read_timeout = std::chrono::seconds(10);
  Duration write_timeout = std::chrono::seconds(10);
  std::size_t header_limit = 16 * 1024;
  std::size_t body_limit = 16 * 1024;
  // Connections past this are closed as soon as they are accepted.
  std::size_t max_connections = 256;
  // After a refusal the client may still be sending: reading this much (for
  // at most drain_time) before closing keeps the kernel from resetting the
  // connection under the answer.
  std::size_t drain_bytes = 1u << 20;
  Duration drain_time = std::chrono::seconds(1);
  // Empty: text/plain answers.
  Refusal refuse = {};
  // Set: TLS with this certificate and key.
  std::optional<TlsIdentity> tls = {};
};

class HttpListener {
 public:
  // Binds `address` at once, so port() is known and a taken port fails at
  // start-up: "cannot listen on 127.0.0.1:9402: address in use; pass
  // --metrics-listen-address to choose another". `executor` runs on one
  // thread (a shard's): connections and the handler run there, unlocked.
  static Result<std::unique_ptr<HttpListener>> listen(const asio::any_io_executor& executor,
                                                      std::string_view address,
                                                      HttpListenerOptions options,
                                                      ServerHandler handler);
  ~HttpListener();
  HttpListener(const HttpListener&) = delete;
  HttpListener& operator=(const HttpListener&) = delete;

  // The bound port (the chosen one for port 0).
  unsigned short port() const;

  // Accepts and serves until cancelled through the awaiting coroutine's
  // cancellation slot, or stop(). Then it closes the listening socket and
  // every open connection, and returns once their coroutines have ended.
  // Runs once.
  asio::awaitable<void> run();
  // Makes run() end as cancelling it does; on the executor's thread.
  void stop();

 private:
  struct Impl;
  explicit HttpListener(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace certmill::reactor
