// The API's answers as HTTP: injected latency, the answer or a watch stream,
// and a debug line per request. Connections are the listener's; requests run
// on the store's shard, so a request is handled where the store lives,
// without locks or hand-offs.
#include "tools/kube-sim/server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/log.hpp"
#include "reactor/https_client.hpp"
#include "tools/kube-sim/status.hpp"

namespace certmill::kubesim {
namespace {

constexpr auto use = asio::as_tuple(asio::use_awaitable);
constexpr std::chrono::seconds kWriteTimeout{30};
// kube-apiserver's header limit is Go's default, 1 MiB; clients send little.
constexpr std::size_t kHeaderLimit = 64 * 1024;
// A client over the body limit may still be sending: reading up to this
// before closing lets it see the 413 instead of a reset.
constexpr std::size_t kDrainBytes = 64u << 20;

Request request_of(reactor::ServerRequest& in) {
  return Request{.method = std::move(in.method),
                 .target = std::move(in.target),
                 .authorization = std::string(in.header("Authorization")),
                 .user_agent = std::string(in.header("User-Agent")),
                 .accept = std::string(in.header("Accept")),
                 .content_type = std::string(in.header("Content-Type")),
                 .body = std::move(in.body),
                 .impersonate_user = std::string(in.header("Impersonate-User")),
                 .impersonate_groups = reactor::find_headers(in.headers, "Impersonate-Group")};
}

reactor::ServerResponse head_of(const Response& response) {
  reactor::ServerResponse out{.status = static_cast<unsigned>(response.status)};
  bool cache_control = false;
  for (const auto& [name, value] : response.headers)
    cache_control = cache_control || reactor::same_header_name(name, "Cache-Control");
  if (!cache_control)
    out.headers.push_back({"Cache-Control", "no-cache, private"});
  out.headers.push_back({"Content-Type", response.content_type});
  for (const auto& [name, value] : response.headers)
    out.headers.push_back({name, value});
  return out;
}

}  // namespace

// As kube-apiserver's proxy does: the request as it came, without the
// caller's credentials, with who the caller is in X-Remote-User and
// X-Remote-Group; a backend that cannot be reached is a 503.
asio::awaitable<Response> Server::forward(const Request& request, const ProxyTarget& proxy) {
  reactor::HttpsClientOptions options;
  options.ca_pem = proxy.ca_pem;
  options.skip_tls_verify = proxy.insecure;
  options.max_connections = 1;
  auto client = reactor::HttpsClient::create(shard_.executor(), std::move(options));
  if (!client)
    co_return status_response(
        503, "ServiceUnavailable",
        "the APIService's caBundle does not load: " + client.error().message());
  reactor::HttpsRequest out{.method = request.method,
                            .url = proxy.origin + request.target,
                            .headers = {{"X-Remote-User", proxy.user}},
                            .body = request.body};
  for (const std::string& group : proxy.groups)
    out.headers.push_back({"X-Remote-Group", group});
  if (!request.content_type.empty())
    out.headers.push_back({"Content-Type", request.content_type});
  if (!request.accept.empty())
    out.headers.push_back({"Accept", request.accept});
  auto answer = co_await (*client)->send(std::move(out), std::chrono::seconds(30));
  if (!answer)
    co_return status_response(503, "ServiceUnavailable",
                              "error trying to reach service: " + answer.error().message());
  Response response;
  response.status = static_cast<int>(answer->status);
  response.content_type = std::string(answer->header("Content-Type"));
  response.body = std::move(answer->body);
  co_return response;
}

Result<std::unique_ptr<Server>> Server::listen(reactor::Shard& shard, Api& api,
                                               std::string_view address, ServerConfig config,
                                               const ServingCert& cert) {
  std::unique_ptr<Server> server(new Server(shard, api, config));
  auto listener = reactor::HttpListener::listen(
      shard.executor(), address,
      {.flag = "--listen",
       .idle_timeout = config.idle_timeout,
       .read_timeout = config.idle_timeout,
       .write_timeout = kWriteTimeout,
       .header_limit = kHeaderLimit,
       .body_limit = config.body_limit,
       .max_connections = 4096,
       .drain_bytes = kDrainBytes,
       .drain_time = std::chrono::seconds(5),
       .refuse =
           [](unsigned status, std::string why) {
             const Response r =
                 status_response(static_cast<int>(status),
                                 status == 413 ? "RequestEntityTooLarge" : "BadRequest", why);
             reactor::ServerResponse out = head_of(r);
             out.body = r.body;
             return out;
           },
       .tls = reactor::TlsIdentity{cert.cert_pem, cert.key_pem}},
      [s = server.get()](reactor::ServerRequest& request, reactor::Responder& responder) {
        return s->answer(request, responder);
      });
  if (!listener)
    return listener.error();
  server->listener_ = std::move(*listener);
  return server;
}

Server::Server(reactor::Shard& shard, Api& api, ServerConfig config)
    : shard_(shard), api_(api), config_(config) {}

Server::~Server() = default;

unsigned short Server::port() const {
  return listener_->port();
}

void Server::start() {
  shard_.tasks().spawn([this] { return listener_->run(); });
}

void Server::stop() {
  api_.store().close_watchers();
  listener_->stop();
}

asio::awaitable<bool> Server::answer(reactor::ServerRequest& in, reactor::Responder& responder) {
  const Request request = request_of(in);
  if (auto delay = api_.latency_for(request); delay.count() > 0) {
    asio::steady_timer timer(shard_.executor(), delay);
    co_await timer.async_wait(use);
  }
  Response response = api_.handle(request);
  if (log::enabled(log::Level::debug))
    log::debug("request", {{"method", request.method},
                           {"target", request.target},
                           {"status", response.status},
                           {"content_type", request.content_type},
                           {"accept", request.accept},
                           {"user_agent", request.user_agent}});
  if (response.watch)
    co_return co_await stream_watch(response, responder);
  if (response.proxy)
    response = co_await forward(request, *response.proxy);
  reactor::ServerResponse out = head_of(response);
  out.body = std::move(response.body);
  co_return co_await responder.reply(std::move(out));
}

// Streams a watch until its timeout, a fault closes it, or the client goes.
asio::awaitable<bool> Server::stream_watch(const Response& response,
                                           reactor::Responder& responder) {
  auto w = response.watch;
  bool ok = co_await responder.start_chunks(head_of(Response{}));
  asio::steady_timer wake(shard_.executor());
  w->wake = [&wake] { wake.cancel(); };
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + response.watch_timeout;
  auto next_bookmark = start + config_.bookmark_interval;
  std::vector<Line> batch;
  std::vector<std::string_view> parts;
  while (ok) {
    if (!w->queue.empty()) {
      batch.assign(std::make_move_iterator(w->queue.begin()),
                   std::make_move_iterator(w->queue.end()));
      w->queue.clear();
      parts.clear();
      for (const auto& line : batch)
        parts.emplace_back(*line);
      ok = co_await responder.chunk(parts);
      continue;
    }
    if (w->closing)
      break;
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      if (w->bookmarks)
        w->push(std::make_shared<const std::string>(bookmark_line(*w, api_.store().rv())));
      w->closing = true;
      continue;
    }
    if (w->bookmarks && now >= next_bookmark) {
      w->push(std::make_shared<const std::string>(bookmark_line(*w, api_.store().rv())));
      next_bookmark = now + config_.bookmark_interval;
      continue;
    }
    wake.expires_at(w->bookmarks ? std::min(deadline, next_bookmark) : deadline);
    auto [ec] = co_await wake.async_wait(use);
    if (ec && ec != asio::error::operation_aborted)
      ok = false;
    auto cs = co_await asio::this_coro::cancellation_state;
    if (cs.cancelled() != asio::cancellation_type::none)
      ok = false;
  }
  w->wake = nullptr;
  api_.store().remove_watcher(w.get());
  if (!ok)
    co_return false;
  co_return co_await responder.end_chunks();
}

}  // namespace certmill::kubesim
