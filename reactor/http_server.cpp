// The HttpServer over an HttpListener: routing by path, GET and HEAD only,
// handler failures as 500s, and bodies made part by part sent as chunks.
#include "reactor/http_server.hpp"

#include <map>
#include <optional>

#include "core/log.hpp"

namespace certmill::reactor {
namespace {

struct Routes {
  std::map<std::string, HttpHandler, std::less<>> exact;
  std::map<std::string, HttpHandler, std::less<>> prefixes;
};

HttpReply plain(unsigned status, std::string body) {
  return HttpReply{status, "text/plain; charset=utf-8", std::move(body)};
}

const HttpHandler* find_handler(const Routes& routes, std::string_view path) {
  if (const auto exact = routes.exact.find(path); exact != routes.exact.end())
    return &exact->second;
  const HttpHandler* best = nullptr;
  std::size_t best_length = 0;
  for (const auto& [prefix, handler] : routes.prefixes) {
    if (path.starts_with(prefix) && prefix.size() >= best_length) {
      best = &handler;
      best_length = prefix.size();
    }
  }
  return best;
}

HttpReply answer_of(const Routes& routes, const ServerRequest& request) {
  std::string_view path = request.target;
  path = path.substr(0, path.find('?'));
  const HttpHandler* handler = find_handler(routes, path);
  if (!handler)
    return plain(404, "404 page not found\n");
  if (request.method != "GET" && !request.head())
    return plain(405, "method not allowed\n");
  try {
    return (*handler)(path);
  } catch (const std::exception& e) {
    log::error("an HTTP endpoint failed", {{"path", path}, {"what", e.what()}});
  } catch (...) {
    log::error("an HTTP endpoint failed", {{"path", path}});
  }
  return plain(500, "internal error\n");
}

ServerResponse head_of(const HttpReply& reply) {
  ServerResponse response{
      .status = reply.status,
      // As Go's servers do: the body is what the content
      // type says, nothing else.
      .headers = {{"Content-Type", reply.content_type}, {"X-Content-Type-Options", "nosniff"}}};
  if (reply.status == 405)
    response.headers.push_back({"Allow", "GET, HEAD"});
  return response;
}

// The source's next part in `part`: true while more follow, false at the end,
// nullopt when the source threw (logged), which ends the body as a failure.
std::optional<bool> next_part(const HttpReply& reply, std::string& part) {
  part.clear();
  try {
    return reply.source(part);
  } catch (const std::exception& e) {
    log::error("an HTTP endpoint failed while making its body", {{"what", e.what()}});
  } catch (...) {
    log::error("an HTTP endpoint failed while making its body");
  }
  return std::nullopt;
}

// The source's body in chunks, each under its own write deadline: a client
// that stops reading holds one chunk, not the whole body. A source that fails
// mid-body cuts the connection, so the client sees the body cut short, not a
// complete answer that lacks what the source did not make.
asio::awaitable<bool> answer(Responder& responder, HttpReply reply) {
  if (!reply.source) {
    ServerResponse response = head_of(reply);
    response.body = std::move(reply.body);
    co_return co_await responder.reply(std::move(response));
  }
  if (!co_await responder.start_chunks(head_of(reply)))
    co_return false;
  std::string part;
  for (bool more = true; more;) {
    const auto next = next_part(reply, part);
    if (!next)
      co_return false;
    more = *next;
    const std::string_view parts[] = {part};
    if (!co_await responder.chunk(parts))
      co_return false;
  }
  co_return co_await responder.end_chunks();
}

}  // namespace

struct HttpServer::Impl {
  std::unique_ptr<HttpListener> listener;
  std::shared_ptr<Routes> routes;
};

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpServer::~HttpServer() = default;

Result<std::unique_ptr<HttpServer>> HttpServer::listen(const asio::any_io_executor& executor,
                                                       std::string_view address,
                                                       HttpServerOptions options) {
  auto routes = std::make_shared<Routes>();
  auto listener = HttpListener::listen(
      executor, address,
      {.flag = options.flag,
       // Go's ReadTimeout, which cert-manager's servers set, covers the idle
       // wait before a request as well as its bytes.
       .idle_timeout = options.read_timeout,
       .read_timeout = options.read_timeout,
       .write_timeout = options.write_timeout,
       .header_limit = options.max_request_bytes,
       .body_limit = options.max_request_bytes,
       .max_connections = options.max_connections},
      [routes](ServerRequest& request, Responder& responder) -> asio::awaitable<bool> {
        co_return co_await answer(responder, answer_of(*routes, request));
      });
  if (!listener)
    return listener.error();
  return std::unique_ptr<HttpServer>(
      new HttpServer(std::make_unique<Impl>(Impl{std::move(*listener), std::move(routes)})));
}

unsigned short HttpServer::port() const {
  return impl_->listener->port();
}

void HttpServer::route(std::string path, HttpHandler handler) {
  impl_->routes->exact[std::move(path)] = std::move(handler);
}

void HttpServer::route_prefix(std::string prefix, HttpHandler handler) {
  impl_->routes->prefixes[std::move(prefix)] = std::move(handler);
}

asio::awaitable<void> HttpServer::run() {
  co_await impl_->listener->run();
}

}  // namespace certmill::reactor
