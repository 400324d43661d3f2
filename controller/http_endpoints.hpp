// HttpEndpoints: the controller's small plain-HTTP listener for Prometheus
// (/metrics) and the kubelet's probes (/healthz, /livez, /readyz), on the
// addresses cert-manager's flags name (--metrics-listen-address,
// --healthz-listen-address), so existing ServiceMonitors and probes keep
// working. Beast stays inside http_endpoints.cpp.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "core/duration.hpp"
#include "core/result.hpp"

namespace certmill::controller {

namespace asio = boost::asio;

// A listen address in Go's host:port form: "0.0.0.0:9402", "[::1]:9402",
// ":9403" (every interface), "127.0.0.1:0" (a free port). The host is an IP
// address or "localhost"; names are not resolved.
struct ListenAddress {
  std::string host;  // without brackets; empty means every interface
  unsigned short port = 0;
};
// The error's message is the cause alone ("missing port in address");
// HttpEndpoints::listen() puts it in context.
Result<ListenAddress> parse_listen_address(std::string_view address);

struct HttpEndpointsOptions {
  // The flag that sets the address, named in the error when it cannot be used.
  std::string flag = "--metrics-listen-address";
  // Bounds a whole request, and the idle gap before one on a keep-alive
  // connection (Go's ReadTimeout, which cert-manager's metrics server sets).
  Duration read_timeout = std::chrono::seconds(10);
  Duration write_timeout = std::chrono::seconds(10);
  // The request line and headers, and separately a body: scrapes and probes
  // send a few hundred bytes.
  std::size_t max_request_bytes = 16 * 1024;
  // Connections past this are closed as soon as they are accepted.
  std::size_t max_connections = 256;
};

// The text exposition format of every metric, built when scraped.
using MetricsSource = std::function<std::string()>;
// A probe: nullopt when healthy, otherwise why not (served with a 503).
using ProbeCheck = std::function<std::optional<std::string>()>;

class HttpEndpoints {
 public:
  // Binds `address` at once, so port() is known and a taken port fails at
  // start-up: "cannot listen on 127.0.0.1:9402: address in use; pass
  // --metrics-listen-address to choose another". `executor` runs on one
  // thread (a shard's): connections and callbacks run there, unlocked.
  static Result<std::unique_ptr<HttpEndpoints>> listen(const asio::any_io_executor& executor,
                                                       std::string_view address,
                                                       HttpEndpointsOptions options = {});
  ~HttpEndpoints();
  HttpEndpoints(const HttpEndpoints&) = delete;
  HttpEndpoints& operator=(const HttpEndpoints&) = delete;

  // The bound port (the chosen one for port 0).
  unsigned short port() const;

  // Routes, registered before run(). A path is matched exactly, without its
  // query string. GET and HEAD are served; other methods get a 405, other
  // paths a 404. Callbacks run on the executor; an exception from one is a
  // 500 for that request.
  //
  // `source()`'s text, as text/plain; version=0.0.4 (Prometheus' format).
  void handle_metrics(std::string path, MetricsSource source);
  // 200 "ok" while `check()` returns nullopt, else 503 with its reason.
  void handle_probe(std::string path, ProbeCheck check);
  // /healthz and /livez answer `live`, /readyz answers `ready`.
  void handle_health(ProbeCheck live, ProbeCheck ready);

  // Accepts and serves connections until cancelled through the awaiting
  // coroutine's cancellation slot (as the reactor's services are). Then it
  // closes the listening socket and every open connection, and returns once
  // they are gone. Runs once.
  asio::awaitable<void> run();

 private:
  struct Impl;
  explicit HttpEndpoints(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace certmill::controller
