// The listeners over Beast: an accept loop, and one session per connection
// for either stream type, reading requests under deadlines and caps.
#include "tools/acme-front/server.hpp"

#include <list>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "core/log.hpp"
#include "reactor/http_server.hpp"

namespace certmill::acmefront {

namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

constexpr auto use = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kHeaderLimit = 16 * 1024;
// After refusing a request the client may still be sending; reading a bounded
// amount first keeps the kernel from resetting the connection under the answer.
constexpr std::size_t kDrainBytes = 4 * 1024 * 1024;

beast::tcp_stream& lowest(beast::tcp_stream& s) {
  return s;
}
beast::tcp_stream& lowest(beast::ssl_stream<beast::tcp_stream>& s) {
  return s.next_layer();
}

}  // namespace

struct Server::Impl {
  reactor::Shard& shard;
  Handler handler;
  ServerOptions options;
  std::optional<ssl::context> tls;
  tcp::acceptor acceptor;
  std::list<beast::tcp_stream*> open;
  bool stopping = false;

  Impl(reactor::Shard& s, Handler h, ServerOptions o)
      : shard(s), handler(std::move(h)), options(std::move(o)), acceptor(s.context()) {}

  asio::awaitable<void> accept_loop() {
    while (!stopping) {
      auto [ec, socket] = co_await acceptor.async_accept(use);
      if (ec) {
        if (stopping || ec == asio::error::operation_aborted)
          break;
        continue;
      }
      socket.set_option(tcp::no_delay(true));
      auto shared = std::make_shared<tcp::socket>(std::move(socket));
      if (tls) {
        shard.tasks().spawn([this, shared]() -> asio::awaitable<void> {
          beast::ssl_stream<beast::tcp_stream> stream(std::move(*shared), *tls);
          co_await session(stream);
        });
      } else {
        shard.tasks().spawn([this, shared]() -> asio::awaitable<void> {
          beast::tcp_stream stream(std::move(*shared));
          co_await session(stream);
        });
      }
    }
  }

  template <class Stream>
  asio::awaitable<void> session(Stream& stream) {
    auto registered = open.insert(open.end(), &lowest(stream));
    co_await serve(stream);
    open.erase(registered);
    beast::error_code ignored;
    lowest(stream).socket().shutdown(tcp::socket::shutdown_both, ignored);
  }

  template <class Stream>
  asio::awaitable<void> serve(Stream& stream) {
    if constexpr (!std::is_same_v<Stream, beast::tcp_stream>) {
      lowest(stream).expires_after(options.read_timeout);
      auto [ec] = co_await stream.async_handshake(ssl::stream_base::server, use);
      if (ec)
        co_return;
    }
    beast::flat_buffer buffer;
    while (!stopping) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(options.body_limit);
      parser.header_limit(kHeaderLimit);
      lowest(stream).expires_after(options.idle_timeout);
      auto [hec, hn] = co_await http::async_read_header(stream, buffer, parser, use);
      (void)hn;
      if (!hec) {
        lowest(stream).expires_after(options.read_timeout);
        auto [bec, bn] = co_await http::async_read(stream, buffer, parser, use);
        (void)bn;
        hec = bec;
      }
      if (hec) {
        if (auto refusal = refusal_for(hec)) {
          co_await write(stream, std::move(*refusal), 11, false);
          co_await drain(stream);
        }
        co_return;
      }
      auto& message = parser.get();
      Request request;
      request.method = std::string(message.method_string());
      request.target = std::string(message.target());
      request.host = std::string(message[http::field::host]);
      request.content_type = std::string(message[http::field::content_type]);
      request.accept = std::string(message[http::field::accept]);
      request.body = std::move(message.body());
      const bool keep_alive = message.keep_alive();
      const unsigned version = message.version();
      const bool head = message.method() == http::verb::head;
      Response response = co_await handler(std::move(request));
      if (head)
        response.body.clear();
      if (!co_await write(stream, std::move(response), version, keep_alive) || !keep_alive)
        co_return;
    }
  }

  std::optional<Response> refusal_for(const beast::error_code& ec) const {
    if (ec == http::error::body_limit)
      return options.refuse(
          413, "the request body is larger than " + std::to_string(options.body_limit) + " bytes");
    if (ec == http::error::header_limit)
      return options.refuse(
          431, "the request headers are larger than " + std::to_string(kHeaderLimit) + " bytes");
    if (ec.category() == http::make_error_code(http::error::bad_method).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message)
      return options.refuse(400, "the request is not HTTP/1.1: " + ec.message());
    return std::nullopt;
  }

  template <class Stream>
  asio::awaitable<void> drain(Stream& stream) {
    lowest(stream).expires_after(std::chrono::seconds(1));
    std::vector<char> scratch(64 * 1024);
    for (std::size_t total = 0; total < kDrainBytes;) {
      auto [ec, n] = co_await stream.async_read_some(asio::buffer(scratch), use);
      if (ec)
        break;
      total += n;
    }
  }

  template <class Stream>
  asio::awaitable<bool> write(Stream& stream, Response r, unsigned version, bool keep_alive) {
    http::response<http::string_body> message{static_cast<http::status>(r.status), version};
    if (!r.content_type.empty())
      message.set(http::field::content_type, r.content_type);
    for (const auto& [name, value] : r.headers)
      message.insert(name, value);
    message.keep_alive(keep_alive);
    message.body() = std::move(r.body);
    message.prepare_payload();
    lowest(stream).expires_after(options.write_timeout);
    auto [ec, n] = co_await http::async_write(stream, message, use);
    (void)n;
    co_return !ec;
  }
};

Result<std::unique_ptr<Server>> Server::listen(reactor::Shard& shard, std::string_view address,
                                               std::string_view flag,
                                               const std::optional<TlsIdentity>& tls,
                                               Handler handler, ServerOptions options) {
  const auto context = [&](std::string why) {
    return Error(Errc::invalid_argument, "cannot listen on " + std::string(address) + ": " + why +
                                             "; pass " + std::string(flag) +
                                             " to choose another address");
  };
  auto parsed = reactor::parse_listen_address(address);
  if (!parsed)
    return context(parsed.error().message());
  auto impl = std::make_unique<Impl>(shard, std::move(handler), std::move(options));
  if (tls) {
    impl->tls.emplace(ssl::context::tls_server);
    impl->tls->set_options(ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                           ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    beast::error_code ec;
    impl->tls->use_certificate_chain(asio::buffer(tls->certificate_pem), ec);
    if (ec)
      return Error(Errc::invalid_argument,
                   "the TLS certificate does not load: " + ec.message() +
                       "; pass a PEM certificate chain to --tls-certificate");
    impl->tls->use_private_key(asio::buffer(tls->key_pem), ssl::context::pem, ec);
    if (ec)
      return Error(Errc::invalid_argument,
                   "the TLS key does not load or does not match the certificate: " + ec.message() +
                       "; pass its PEM private key to --tls-key");
  }
  beast::error_code ec;
  const auto ip = asio::ip::make_address(parsed->host.empty()          ? "0.0.0.0"
                                         : parsed->host == "localhost" ? "127.0.0.1"
                                                                       : parsed->host,
                                         ec);
  if (ec)
    return context("\"" + parsed->host + "\" is not an IP address");
  const tcp::endpoint endpoint(ip, parsed->port);
  if (impl->acceptor.open(endpoint.protocol(), ec); ec)
    return context(ec.message());
  if (impl->acceptor.set_option(tcp::acceptor::reuse_address(true), ec); ec)
    return context(ec.message());
  if (impl->acceptor.bind(endpoint, ec); ec)
    return context(ec.message());
  if (impl->acceptor.listen(asio::socket_base::max_listen_connections, ec); ec)
    return context(ec.message());
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() = default;

unsigned short Server::port() const {
  return impl_->acceptor.local_endpoint().port();
}

void Server::start() {
  impl_->shard.tasks().spawn([this] { return impl_->accept_loop(); });
}

void Server::stop() {
  impl_->stopping = true;
  beast::error_code ignored;
  impl_->acceptor.close(ignored);
  for (auto* stream : impl_->open)
    stream->socket().cancel(ignored);
}

}  // namespace certmill::acmefront
