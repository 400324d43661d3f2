// kube-sim's HTTPS listener: HTTP/1.1 keep-alive connections, a body limit
// (413), and chunked watch streams. Beast stays inside server.cpp.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "reactor/reactor.hpp"
#include "tools/kube-sim/api.hpp"
#include "tools/kube-sim/tls.hpp"

namespace certmill::kubesim {

struct ServerConfig {
  std::string host = "127.0.0.1";
  unsigned short port = 0;
  std::size_t body_limit = 3 * 1024 * 1024;  // kube-apiserver's request size limit
  std::chrono::milliseconds bookmark_interval{60000};
  std::chrono::seconds idle_timeout{120};
};

class Server {
 public:
  // Binds at once (so port() is known); serves once start() is called.
  Server(reactor::Shard& shard, Api& api, ServerConfig config, const ServingCert& cert);
  ~Server();
  unsigned short port() const;
  // Both run on the shard's thread.
  void start();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace certmill::kubesim
