// The front's two listeners: HTTPS for ACME clients and plain HTTP for the
// management API, both over reactor's HttpListener (keep-alive, a body cap,
// deadlines on reading, writing and idling) on one shard. A request that
// cannot be read (too large, not HTTP) gets the `refuse` answer and the
// connection closes. This file turns the listener's requests into the
// front's own, smaller ones.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "core/duration.hpp"
#include "core/result.hpp"
#include "reactor/http_listener.hpp"
#include "reactor/reactor.hpp"

namespace certmill::acmefront {

namespace asio = boost::asio;

struct Request {
  std::string method;
  std::string target;  // path and query, as sent
  std::string host;    // the Host header
  std::string content_type;
  std::string accept;
  std::string body;
};

struct Response {
  unsigned status = 200;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;  // in order; repeats allowed
  std::string body;
  // No answer at all: the connection is reset instead (a fault, front.hpp).
  bool reset = false;
};

using Handler = std::function<asio::awaitable<Response>(Request)>;

struct ServerOptions {
  std::size_t body_limit = 64 * 1024;
  Duration read_timeout = std::chrono::seconds(30);
  Duration idle_timeout = std::chrono::seconds(60);
  Duration write_timeout = std::chrono::seconds(30);
  // The answer to a request that cannot be read: 413 or 400, and why.
  std::function<Response(unsigned status, std::string why)> refuse;
};

using reactor::TlsIdentity;

class Server {
 public:
  // Binds `address` (host:port, port 0 picks one) at once, so port() is
  // known; `tls` empty serves plain HTTP. Errors name `flag`.
  static Result<std::unique_ptr<Server>> listen(reactor::Shard& shard, std::string_view address,
                                                std::string_view flag,
                                                const std::optional<TlsIdentity>& tls,
                                                Handler handler, ServerOptions options);
  ~Server();
  unsigned short port() const;
  // Both on the shard's thread.
  void start();
  void stop();

 private:
  Server(reactor::Shard& shard, std::unique_ptr<reactor::HttpListener> listener);

  reactor::Shard& shard_;
  std::unique_ptr<reactor::HttpListener> listener_;
};

}  // namespace certmill::acmefront
