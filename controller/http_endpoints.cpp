// What the metrics and probe routes answer.
#include "controller/http_endpoints.hpp"

namespace certmill::controller {

Result<std::unique_ptr<HttpEndpoints>> HttpEndpoints::listen(const asio::any_io_executor& executor,
                                                             std::string_view address,
                                                             HttpEndpointsOptions options) {
  auto server = reactor::HttpServer::listen(executor, address, std::move(options));
  if (!server)
    return server.error();
  return std::unique_ptr<HttpEndpoints>(new HttpEndpoints(std::move(*server)));
}

void HttpEndpoints::handle_metrics(std::string path, MetricsSource source) {
  server_->route(std::move(path), [source = std::move(source)](std::string_view) {
    return reactor::HttpReply{200, "text/plain; version=0.0.4; charset=utf-8", {}, source()};
  });
}

void HttpEndpoints::handle_probe(std::string path, ProbeCheck check) {
  server_->route(std::move(path), [check = std::move(check)](std::string_view) {
    if (auto reason = check())
      return reactor::HttpReply{503, "text/plain; charset=utf-8", std::move(*reason) + "\n"};
    return reactor::HttpReply{200, "text/plain; charset=utf-8", "ok"};
  });
}

void HttpEndpoints::handle_health(ProbeCheck live, ProbeCheck ready) {
  handle_probe("/healthz", live);
  handle_probe("/livez", std::move(live));
  handle_probe("/readyz", std::move(ready));
}

}  // namespace certmill::controller
