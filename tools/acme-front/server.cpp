// The listener's requests as the front's: the few headers it reads in, its
// answer (headers in order, repeats kept) out.
#include "tools/acme-front/server.hpp"

namespace certmill::acmefront {
namespace {

constexpr std::size_t kHeaderLimit = 16 * 1024;
constexpr std::size_t kDrainBytes = 4u << 20;

Request request_of(reactor::ServerRequest& in) {
  return Request{.method = std::move(in.method),
                 .target = std::move(in.target),
                 .host = std::string(in.header("Host")),
                 .content_type = std::string(in.header("Content-Type")),
                 .accept = std::string(in.header("Accept")),
                 .body = std::move(in.body)};
}

reactor::ServerResponse response_of(Response in) {
  reactor::ServerResponse out{.status = in.status, .body = std::move(in.body)};
  if (!in.content_type.empty())
    out.headers.push_back({"Content-Type", std::move(in.content_type)});
  for (auto& [name, value] : in.headers)
    out.headers.push_back({std::move(name), std::move(value)});
  return out;
}

}  // namespace

Result<std::unique_ptr<Server>> Server::listen(reactor::Shard& shard, std::string_view address,
                                               std::string_view flag,
                                               const std::optional<TlsIdentity>& tls,
                                               Handler handler, ServerOptions options) {
  reactor::Refusal refuse;
  if (options.refuse) {
    refuse = [refuse = options.refuse](unsigned status, std::string why) {
      return response_of(refuse(status, std::move(why)));
    };
  }
  auto listener = reactor::HttpListener::listen(
      shard.executor(), address,
      {.flag = std::string(flag),
       .idle_timeout = options.idle_timeout,
       .read_timeout = options.read_timeout,
       .write_timeout = options.write_timeout,
       .header_limit = kHeaderLimit,
       .body_limit = options.body_limit,
       .max_connections = 1024,
       .drain_bytes = kDrainBytes,
       .refuse = std::move(refuse),
       .tls = tls},
      [handler = std::move(handler)](reactor::ServerRequest& request,
                                     reactor::Responder& responder) -> asio::awaitable<bool> {
        Response response = co_await handler(request_of(request));
        if (response.reset) {
          responder.reset();
          co_return false;
        }
        co_return co_await responder.reply(response_of(std::move(response)));
      });
  if (!listener) {
    const std::string message = listener.error().message();
    // A certificate or key that does not load is named by its own flag.
    if (message.starts_with("the TLS certificate"))
      return Error(Errc::invalid_argument,
                   message + "; pass a PEM certificate chain to --tls-certificate");
    if (message.starts_with("the TLS key"))
      return Error(Errc::invalid_argument, message + "; pass its PEM private key to --tls-key");
    return listener.error();
  }
  return std::unique_ptr<Server>(new Server(shard, std::move(*listener)));
}

Server::Server(reactor::Shard& shard, std::unique_ptr<reactor::HttpListener> listener)
    : shard_(shard), listener_(std::move(listener)) {}
Server::~Server() = default;

unsigned short Server::port() const {
  return listener_->port();
}

void Server::start() {
  shard_.tasks().spawn([this] { return listener_->run(); });
}

void Server::stop() {
  listener_->stop();
}

}  // namespace certmill::acmefront
