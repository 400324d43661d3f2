// The HTTPS server: one coroutine per connection on the store's shard, so a
// request is handled where the store lives, without locks or hand-offs.
#include "tools/kube-sim/server.hpp"

#include <list>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "core/log.hpp"
#include "tools/kube-sim/status.hpp"

namespace certmill::kubesim {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Stream = beast::ssl_stream<beast::tcp_stream>;

namespace {

constexpr auto use = asio::as_tuple(asio::use_awaitable);
constexpr std::chrono::seconds write_timeout{30};

}  // namespace

struct Server::Impl {
  reactor::Shard& shard;
  Api& api;
  ServerConfig config;
  asio::ssl::context tls{asio::ssl::context::tls_server};
  tcp::acceptor acceptor;
  std::list<Stream*> streams;
  bool stopping = false;

  Impl(reactor::Shard& s, Api& a, ServerConfig c, const ServingCert& cert)
      : shard(s), api(a), config(std::move(c)), acceptor(s.context()) {
    tls.set_options(asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 |
                    asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
    tls.use_certificate_chain(asio::buffer(cert.cert_pem));
    tls.use_private_key(asio::buffer(cert.key_pem), asio::ssl::context::pem);
    tcp::endpoint ep(asio::ip::make_address(config.host), config.port);
    acceptor.open(ep.protocol());
    acceptor.set_option(tcp::acceptor::reuse_address(true));
    acceptor.bind(ep);
    acceptor.listen(asio::socket_base::max_listen_connections);
  }

  asio::awaitable<void> accept_loop() {
    while (!stopping) {
      auto [ec, socket] = co_await acceptor.async_accept(use);
      if (ec) {
        if (stopping || ec == asio::error::operation_aborted)
          break;
        continue;
      }
      socket.set_option(tcp::no_delay(true));
      shard.tasks().spawn([this, s = std::make_shared<tcp::socket>(std::move(socket))]() {
        return session(std::move(*s));
      });
    }
  }

  asio::awaitable<void> session(tcp::socket socket) {
    Stream stream(std::move(socket), tls);
    streams.push_back(&stream);
    auto registered = std::prev(streams.end());
    co_await serve(stream);
    streams.erase(registered);
    beast::error_code ignored;
    beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both, ignored);
  }

  asio::awaitable<void> serve(Stream& stream) {
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(10));
    auto [hec] = co_await stream.async_handshake(asio::ssl::stream_base::server, use);
    if (hec)
      co_return;
    beast::flat_buffer buffer;
    while (!stopping) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(config.body_limit);
      parser.header_limit(64 * 1024);
      beast::get_lowest_layer(stream).expires_after(config.idle_timeout);
      auto [rec, n] = co_await http::async_read(stream, buffer, parser, use);
      (void)n;
      if (rec == http::error::body_limit) {
        Response r = status_response(
            413, "RequestEntityTooLarge",
            "Request entity too large: limit is " + std::to_string(config.body_limit));
        co_await write(stream, r, 11, false);
        co_await drain(stream);
        co_return;
      }
      if (rec)
        co_return;
      auto& msg = parser.get();
      Request req;
      req.method = std::string(msg.method_string());
      req.target = std::string(msg.target());
      req.authorization = std::string(msg[http::field::authorization]);
      req.user_agent = std::string(msg[http::field::user_agent]);
      req.accept = std::string(msg[http::field::accept]);
      req.content_type = std::string(msg[http::field::content_type]);
      req.body = std::move(msg.body());
      const bool keep_alive = msg.keep_alive();
      const unsigned version = msg.version();
      if (auto delay = api.latency_for(req); delay.count() > 0) {
        asio::steady_timer t(stream.get_executor(), delay);
        co_await t.async_wait(use);
      }
      Response r = api.handle(req);
      if (log::enabled(log::Level::debug))
        log::debug("request", {{"method", req.method},
                               {"target", req.target},
                               {"status", r.status},
                               {"content_type", req.content_type},
                               {"accept", req.accept},
                               {"user_agent", req.user_agent}});
      if (r.watch) {
        if (!co_await stream_watch(stream, r, version))
          co_return;
      } else if (!co_await write(stream, r, version, keep_alive)) {
        co_return;
      }
      if (!keep_alive)
        co_return;
    }
  }

  // Reads and drops what the client is still sending (bounded), so it can
  // finish writing its body and read the 413 instead of hitting a reset.
  asio::awaitable<void> drain(Stream& stream) {
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(5));
    std::vector<char> scratch(64 * 1024);
    std::size_t total = 0;
    while (total < 64 * 1024 * 1024) {
      auto [ec, n] = co_await stream.async_read_some(asio::buffer(scratch), use);
      if (ec)
        break;
      total += n;
    }
  }

  asio::awaitable<bool> write(Stream& stream, const Response& r, unsigned version,
                              bool keep_alive) {
    http::response<http::string_body> res{static_cast<http::status>(r.status), version};
    res.set(http::field::cache_control, "no-cache, private");
    res.set(http::field::content_type, r.content_type);
    for (const auto& [k, v] : r.headers) {
      if (k == "Cache-Control")
        res.set(http::field::cache_control, v);
      else
        res.insert(k, v);
    }
    res.keep_alive(keep_alive);
    res.body() = r.body;
    res.prepare_payload();
    beast::get_lowest_layer(stream).expires_after(write_timeout);
    auto [ec, n] = co_await http::async_write(stream, res, use);
    (void)n;
    co_return !ec;
  }

  // Streams a watch until its timeout, a fault closes it, or the client goes.
  asio::awaitable<bool> stream_watch(Stream& stream, const Response& r, unsigned version) {
    auto w = r.watch;
    http::response<http::empty_body> res{http::status::ok, version};
    res.set(http::field::cache_control, "no-cache, private");
    res.set(http::field::content_type, "application/json");
    res.chunked(true);
    http::response_serializer<http::empty_body> sr{res};
    beast::get_lowest_layer(stream).expires_after(write_timeout);
    auto [hec, hn] = co_await http::async_write_header(stream, sr, use);
    (void)hn;
    bool ok = !hec;
    asio::steady_timer wake(stream.get_executor());
    w->wake = [&wake] { wake.cancel(); };
    const auto start = std::chrono::steady_clock::now();
    const auto deadline = start + r.watch_timeout;
    auto next_bookmark = start + config.bookmark_interval;
    std::vector<Line> batch;
    std::vector<asio::const_buffer> buffers;
    while (ok && !stopping) {
      if (!w->queue.empty()) {
        batch.assign(std::make_move_iterator(w->queue.begin()),
                     std::make_move_iterator(w->queue.end()));
        w->queue.clear();
        buffers.clear();
        for (const auto& line : batch)
          buffers.push_back(asio::buffer(*line));
        beast::get_lowest_layer(stream).expires_after(write_timeout);
        auto [ec, n] = co_await asio::async_write(stream, http::make_chunk(buffers), use);
        (void)n;
        ok = !ec;
        continue;
      }
      if (w->closing)
        break;
      const auto now = std::chrono::steady_clock::now();
      if (now >= deadline) {
        if (w->bookmarks)
          w->push(std::make_shared<const std::string>(bookmark_line(*w, api.store().rv())));
        w->closing = true;
        continue;
      }
      if (w->bookmarks && now >= next_bookmark) {
        w->push(std::make_shared<const std::string>(bookmark_line(*w, api.store().rv())));
        next_bookmark = now + config.bookmark_interval;
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
    api.store().remove_watcher(w.get());
    if (!ok)
      co_return false;
    beast::get_lowest_layer(stream).expires_after(write_timeout);
    auto [ec, n] = co_await asio::async_write(stream, http::make_chunk_last(), use);
    (void)n;
    co_return !ec;
  }
};

Server::Server(reactor::Shard& shard, Api& api, ServerConfig config, const ServingCert& cert)
    : impl_(std::make_unique<Impl>(shard, api, std::move(config), cert)) {}

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
  impl_->api.store().close_watchers();
  for (auto* s : impl_->streams)
    beast::get_lowest_layer(*s).socket().cancel(ignored);
}

}  // namespace certmill::kubesim
