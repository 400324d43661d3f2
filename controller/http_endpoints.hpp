// HttpEndpoints: the controller's listener for Prometheus (/metrics) and the
// kubelet's probes (/healthz, /livez, /readyz), on the addresses cert-manager's
// flags name (--metrics-listen-address, --healthz-listen-address), so
// existing ServiceMonitors and probes keep working. The server itself is
// reactor/http_server.hpp; this adds what the routes answer.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "reactor/http_server.hpp"

namespace certmill::controller {

namespace asio = boost::asio;

using reactor::ListenAddress;
using reactor::parse_listen_address;
using HttpEndpointsOptions = reactor::HttpServerOptions;

// Starts a scrape: the text exposition format of every metric, made as it is
// sent.
using MetricsSource = std::function<reactor::BodySource()>;
// A probe: nullopt when healthy, otherwise why not (served with a 503).
using ProbeCheck = std::function<std::optional<std::string>()>;

class HttpEndpoints {
 public:
  // Binds `address` at once (see reactor::HttpServer::listen).
  static Result<std::unique_ptr<HttpEndpoints>> listen(const asio::any_io_executor& executor,
                                                       std::string_view address,
                                                       HttpEndpointsOptions options = {});

  unsigned short port() const { return server_->port(); }

  // Routes, registered before run(). The text of the scrape `source()`
  // starts, as text/plain; version=0.0.4 (Prometheus' format).
  void handle_metrics(std::string path, MetricsSource source);
  // 200 "ok" while `check()` returns nullopt, else 503 with its reason.
  void handle_probe(std::string path, ProbeCheck check);
  // /healthz and /livez answer `live`, /readyz answers `ready`.
  void handle_health(ProbeCheck live, ProbeCheck ready);

  // Serves until cancelled (see reactor::HttpServer::run).
  asio::awaitable<void> run() { return server_->run(); }

 private:
  explicit HttpEndpoints(std::unique_ptr<reactor::HttpServer> server)
      : server_(std::move(server)) {}
  std::unique_ptr<reactor::HttpServer> server_;
};

}  // namespace certmill::controller
