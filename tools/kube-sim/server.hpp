// kube-sim's HTTPS server: the API's answers over reactor's HttpListener
// (keep-alive, deadlines, the body limit as kube-apiserver's 413 Status),
// watches as chunked streams of one event per line, bookmarks on a timer.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "core/result.hpp"
#include "reactor/http_listener.hpp"
#include "reactor/reactor.hpp"
#include "tools/kube-sim/api.hpp"
#include "tools/kube-sim/tls.hpp"

namespace certmill::kubesim {

namespace asio = boost::asio;

struct ServerConfig {
  std::size_t body_limit = 3 * 1024 * 1024;  // kube-apiserver's request size limit
  std::chrono::milliseconds bookmark_interval{60000};
  std::chrono::seconds idle_timeout{120};
};

class Server {
 public:
  // Binds `address` (host:port; port 0 picks one) at once, so port() is
  // known; serves once start() is called.
  static Result<std::unique_ptr<Server>> listen(reactor::Shard& shard, Api& api,
                                                std::string_view address, ServerConfig config,
                                                const ServingCert& cert);
  ~Server();
  unsigned short port() const;
  // Both run on the shard's thread.
  void start();
  void stop();

 private:
  Server(reactor::Shard& shard, Api& api, ServerConfig config);
  asio::awaitable<bool> answer(reactor::ServerRequest& request, reactor::Responder& responder);
  asio::awaitable<bool> stream_watch(const Response& response, reactor::Responder& responder);
  asio::awaitable<Response> forward(const Request& request, const ProxyTarget& proxy);

  reactor::Shard& shard_;
  Api& api_;
  ServerConfig config_;
  std::unique_ptr<reactor::HttpListener> listener_;
};

}  // namespace certmill::kubesim
