// The metrics and probe listener on loopback: the server runs as a service on
// a reactor shard, the clients are Beast coroutines on the test thread's own
// io_context, so a stuck server fails a deadline instead of hanging the test.
#include "controller/http_endpoints.hpp"

#include <atomic>
#include <future>
#include <mutex>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <catch2/catch.hpp>

#include "core/log.hpp"
#include "reactor/log_sink.hpp"
#include "reactor/reactor.hpp"

using namespace certmill;
using namespace certmill::controller;
using namespace std::chrono_literals;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr std::string_view kMetricsText =
    "# TYPE certmanager_clock_time_seconds gauge\ncertmanager_clock_time_seconds 1.7e+09\n";

// `text` made a few bytes at a time, so every answer travels in several
// chunks.
reactor::BodySource parts_of(std::string_view text, std::size_t part = 16) {
  return [text, part](std::string& out) mutable {
    out.append(text.substr(0, part));
    text.remove_prefix(std::min(part, text.size()));
    return !text.empty();
  };
}

// The log lines written while it lives (from any thread).
class CapturedLog {
 public:
  CapturedLog() {
    reactor::capture_log([this](std::string_view line) {
      const std::lock_guard lock(mutex_);
      text_ += line;
    });
  }
  ~CapturedLog() { reactor::capture_log({}); }
  bool contains(std::string_view what) const {
    const std::lock_guard lock(mutex_);
    return text_.find(what) != std::string::npos;
  }

 private:
  mutable std::mutex mutex_;
  std::string text_;
};

// The listener on shard 0 of a one-shard reactor, stopped the way the
// controller stops it: by the reactor's shutdown cancelling its services.
struct Served {
  explicit Served(HttpEndpointsOptions options = {}) {
    reactor.start();
    auto made = HttpEndpoints::listen(reactor.shard(0).executor(), "127.0.0.1:0", options);
    REQUIRE(made.ok());
    endpoints = std::move(*made);
  }
  ~Served() {
    // A test that failed early: stop the threads before the listener goes.
    reactor.stop_now();
    endpoints.reset();
  }
  void start() {
    reactor.spawn_service(reactor.shard(0), [this]() -> asio::awaitable<void> {
      co_await endpoints->run();
      stopped = true;
    });
  }
  reactor::ShutdownReport stop() {
    auto report = reactor.shutdown(5s, 1s).get();
    reactor.join();
    return report;
  }
  unsigned short port() const { return endpoints->port(); }

  reactor::Reactor reactor{1};
  std::unique_ptr<HttpEndpoints> endpoints;
  std::atomic<bool> stopped{false};
};

// Runs client coroutines on the test thread, each within a bound.
struct Clients {
  template <class F>
  auto run(F make) {
    auto future = asio::co_spawn(io, std::move(make), asio::use_future);
    io.restart();
    io.run_for(20s);
    REQUIRE(future.wait_for(0s) == std::future_status::ready);
    return future.get();
  }
  asio::io_context io;
};

struct Answer {
  unsigned status = 0;
  std::string content_type;
  std::string content_length;
  bool chunked = false;
  std::string allow;
  std::string body;
  bool keep_alive = false;
};

asio::awaitable<beast::tcp_stream> connect(unsigned short port) {
  beast::tcp_stream stream(co_await asio::this_coro::executor);
  stream.expires_after(5s);
  co_await stream.async_connect(tcp::endpoint(asio::ip::address_v4::loopback(), port),
                                asio::use_awaitable);
  co_return stream;
}

asio::awaitable<Answer> request(beast::tcp_stream& stream, std::string target,
                                http::verb verb = http::verb::get, bool keep_alive = true) {
  http::request<http::empty_body> message(verb, target, 11);
  message.set(http::field::host, "127.0.0.1");
  message.keep_alive(keep_alive);
  stream.expires_after(5s);
  co_await http::async_write(stream, message, asio::use_awaitable);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.skip(verb == http::verb::head);  // a HEAD answer has a length but no body
  co_await http::async_read(stream, buffer, parser, asio::use_awaitable);
  auto& response = parser.get();
  co_return Answer{response.result_int(),
                   std::string(response[http::field::content_type]),
                   std::string(response[http::field::content_length]),
                   response.chunked(),
                   std::string(response[http::field::allow]),
                   response.body(),
                   response.keep_alive()};
}

asio::awaitable<Answer> get(unsigned short port, std::string target) {
  auto stream = co_await connect(port);
  co_return co_await request(stream, std::move(target));
}

// What the server sends until it closes the connection; `closed` is false
// when the connection was still open at the deadline.
struct Received {
  std::string bytes;
  bool closed = false;
};
asio::awaitable<Received> read_until_closed(beast::tcp_stream& stream,
                                            std::chrono::milliseconds deadline = 5s) {
  Received received;
  stream.expires_after(deadline);
  std::array<char, 4096> chunk;
  for (;;) {
    auto [ec, n] =
        co_await stream.async_read_some(asio::buffer(chunk), asio::as_tuple(asio::use_awaitable));
    received.bytes.append(chunk.data(), n);
    if (ec) {
      received.closed = ec != beast::error::timeout;
      co_return received;
    }
  }
}

asio::awaitable<void> send_raw(beast::tcp_stream& stream, std::string bytes) {
  stream.expires_after(5s);
  co_await asio::async_write(stream, asio::buffer(bytes), asio::use_awaitable);
}

}  // namespace

TEST_CASE("metrics and probes answer with cert-manager's statuses and content types") {
  Served served;
  std::atomic<bool> on_shard{true};
  std::mutex mutex;
  std::optional<std::string> not_ready = "informers have not synced";
  served.endpoints->handle_metrics("/metrics", [&] {
    on_shard = on_shard && reactor::Shard::current() == &served.reactor.shard(0);
    return parts_of(kMetricsText);
  });
  served.endpoints->handle_health([] { return std::optional<std::string>(); },
                                  [&] {
                                    const std::lock_guard lock(mutex);
                                    return not_ready;
                                  });
  served.start();
  Clients clients;

  // One keep-alive connection carries every request.
  clients.run([&]() -> asio::awaitable<void> {
    auto stream = co_await connect(served.port());
    const Answer metrics = co_await request(stream, "/metrics");
    CHECK(metrics.status == 200);
    CHECK(metrics.content_type == "text/plain; version=0.0.4; charset=utf-8");
    CHECK(metrics.body == kMetricsText);
    CHECK(metrics.chunked);
    CHECK(metrics.keep_alive);

    // The length of a body made as it is sent is not known up front.
    const Answer head = co_await request(stream, "/metrics", http::verb::head);
    CHECK(head.status == 200);
    CHECK(head.chunked);
    CHECK(head.body.empty());

    CHECK((co_await request(stream, "/metrics?name[]=x")).status == 200);

    for (const char* path : {"/healthz", "/livez"}) {
      const Answer live = co_await request(stream, path);
      CHECK(live.status == 200);
      CHECK(live.body == "ok");
      CHECK(live.content_type == "text/plain; charset=utf-8");
    }
    const Answer unready = co_await request(stream, "/readyz");
    CHECK(unready.status == 503);
    CHECK(unready.body == "informers have not synced\n");
    {
      const std::lock_guard lock(mutex);
      not_ready.reset();
    }
    const Answer ready = co_await request(stream, "/readyz");
    CHECK(ready.status == 200);
    CHECK(ready.body == "ok");

    const Answer missing = co_await request(stream, "/debug/pprof");
    CHECK(missing.status == 404);
    CHECK(missing.body == "404 page not found\n");
    CHECK((co_await request(stream, "/")).status == 404);

    const Answer post = co_await request(stream, "/metrics", http::verb::post);
    CHECK(post.status == 405);
    CHECK(post.allow == "GET, HEAD");
    CHECK((co_await request(stream, "/healthz", http::verb::delete_)).status == 405);

    // Still the same connection: Connection: close is honoured.
    const Answer last = co_await request(stream, "/livez", http::verb::get, false);
    CHECK(last.status == 200);
    CHECK_FALSE(last.keep_alive);
    CHECK((co_await read_until_closed(stream)).closed);
  });
  CHECK(on_shard);
  const auto report = served.stop();
  CHECK(served.stopped);
  CHECK(report.abandoned == 0);
}

TEST_CASE("a callback that throws answers 500 and the listener goes on") {
  CapturedLog logged;
  Served served;
  served.endpoints->handle_metrics(
      "/metrics", []() -> reactor::BodySource { throw std::runtime_error("boom"); });
  served.endpoints->handle_probe("/healthz", [] { return std::optional<std::string>(); });
  served.start();
  Clients clients;
  clients.run([&]() -> asio::awaitable<void> {
    auto stream = co_await connect(served.port());
    CHECK((co_await request(stream, "/metrics")).status == 500);
    CHECK((co_await request(stream, "/healthz")).status == 200);
  });
  served.stop();
  CHECK(served.stopped);
  CHECK(logged.contains("an HTTP endpoint failed path=/metrics what=boom"));
}

TEST_CASE("a body that fails while it is made is cut short, and the listener goes on") {
  CapturedLog logged;
  Served served;
  served.endpoints->handle_metrics("/metrics", [] {
    return [calls = 0](std::string& out) mutable -> bool {
      if (++calls == 3)
        throw std::runtime_error("half-way");
      out += "certmill_part 1\n";
      return true;
    };
  });
  served.endpoints->handle_probe("/healthz", [] { return std::optional<std::string>(); });
  served.start();
  Clients clients;
  clients.run([&]() -> asio::awaitable<void> {
    auto stream = co_await connect(served.port());
    co_await send_raw(stream, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
    const Received cut = co_await read_until_closed(stream);
    CHECK(cut.closed);
    CHECK(cut.bytes.find("certmill_part 1\n") != std::string::npos);
    // No last chunk: the client knows the body is incomplete.
    CHECK(cut.bytes.find("\r\n0\r\n\r\n") == std::string::npos);
    CHECK((co_await get(served.port(), "/healthz")).status == 200);
  });
  served.stop();
  CHECK(logged.contains("failed while making its body what=half-way"));
}

TEST_CASE("an HTTP/1.0 client gets a made body whole, with its length") {
  Served served;
  served.endpoints->handle_metrics("/metrics", [] { return parts_of(kMetricsText, 5); });
  served.start();
  Clients clients;
  clients.run([&]() -> asio::awaitable<void> {
    auto stream = co_await connect(served.port());
    co_await send_raw(stream, "GET /metrics HTTP/1.0\r\n\r\n");
    const Received answer = co_await read_until_closed(stream);
    CHECK(answer.closed);
    CHECK(answer.bytes.find("Content-Length: " + std::to_string(kMetricsText.size())) !=
          std::string::npos);
    CHECK(answer.bytes.ends_with(kMetricsText));
  });
  served.stop();
}

TEST_CASE("malformed, oversized and silent clients do not hold up others") {
  HttpEndpointsOptions options;
  options.read_timeout = 500ms;
  options.max_request_bytes = 1024;
  Served served(options);
  served.endpoints->handle_metrics("/metrics", [] { return parts_of(kMetricsText); });
  served.start();
  Clients clients;
  clients.run([&]() -> asio::awaitable<void> {
    // A client that sends half a request line and then nothing.
    auto slow = co_await connect(served.port());
    co_await send_raw(slow, "GET /metr");
    // A connection that never says anything.
    auto silent = co_await connect(served.port());

    auto garbage = co_await connect(served.port());
    co_await send_raw(garbage, "\x16\x03\x01 this is not HTTP\r\n\r\n");
    const Received bad = co_await read_until_closed(garbage);
    CHECK(bad.closed);
    CHECK(bad.bytes.rfind("HTTP/1.1 400 Bad Request\r\n", 0) == 0);
    CHECK(bad.bytes.find("Connection: close\r\n") != std::string::npos);

    auto huge = co_await connect(served.port());
    co_await send_raw(huge, "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Filler: " +
                                std::string(4096, 'a') + "\r\n\r\n");
    const Received too_large = co_await read_until_closed(huge);
    CHECK(too_large.closed);
    CHECK(too_large.bytes.rfind("HTTP/1.1 431 ", 0) == 0);

    // Meanwhile a good client is served at once.
    const Answer good = co_await get(served.port(), "/metrics");
    CHECK(good.status == 200);
    CHECK(good.body == kMetricsText);

    // The stalled ones are closed at the read deadline, without an answer.
    const Received slow_end = co_await read_until_closed(slow, 3s);
    CHECK(slow_end.closed);
    CHECK(slow_end.bytes.empty());
    const Received silent_end = co_await read_until_closed(silent, 3s);
    CHECK(silent_end.closed);
    CHECK(silent_end.bytes.empty());

    CHECK((co_await get(served.port(), "/metrics")).status == 200);
  });
  served.stop();
  CHECK(served.stopped);
}

TEST_CASE("cancellation closes the listener and its open connections at once") {
  Served served;  // a 10 s read deadline: stopping must not wait for it
  served.endpoints->handle_probe("/healthz", [] { return std::optional<std::string>(); });
  served.start();
  Clients clients;
  std::optional<beast::tcp_stream> idle;
  std::optional<beast::tcp_stream> partial;
  clients.run([&]() -> asio::awaitable<void> {
    idle.emplace(co_await connect(served.port()));
    CHECK((co_await request(*idle, "/healthz")).status == 200);
    partial.emplace(co_await connect(served.port()));
    co_await send_raw(*partial, "GET /healthz HTTP/1.1\r\n");
    // Both connections are in the server's hands before it stops.
    CHECK((co_await get(served.port(), "/healthz")).status == 200);
  });

  const auto begun = std::chrono::steady_clock::now();
  const auto report = served.stop();
  CHECK(std::chrono::steady_clock::now() - begun < 3s);
  CHECK(served.stopped);
  CHECK(report.abandoned == 0);

  const unsigned short port = served.port();
  clients.run([&]() -> asio::awaitable<void> {
    CHECK((co_await read_until_closed(*idle)).closed);
    CHECK((co_await read_until_closed(*partial)).closed);
    beast::tcp_stream again(co_await asio::this_coro::executor);
    again.expires_after(5s);
    auto [ec] = co_await again.async_connect(tcp::endpoint(asio::ip::address_v4::loopback(), port),
                                             asio::as_tuple(asio::use_awaitable));
    CHECK(ec == asio::error::connection_refused);
  });
}

TEST_CASE("listen addresses take Go's host:port forms") {
  auto all = parse_listen_address(":9403");
  REQUIRE(all.ok());
  CHECK(all->host.empty());
  CHECK(all->port == 9403);
  auto v6 = parse_listen_address("[::1]:9402");
  REQUIRE(v6.ok());
  CHECK(v6->host == "::1");
  CHECK(v6->port == 9402);
  auto v4 = parse_listen_address("0.0.0.0:9402");
  REQUIRE(v4.ok());
  CHECK(v4->host == "0.0.0.0");
  CHECK(parse_listen_address("localhost:0").ok());

  CHECK(parse_listen_address("9402").error().message() == "missing port in address");
  CHECK(parse_listen_address("").error().message() == "missing port in address");
  CHECK(parse_listen_address("0.0.0.0:").error().message() == "missing port in address");
  CHECK(parse_listen_address("[::1").error().message() == "missing ']' in address");
  CHECK(parse_listen_address("::1:9402").error().message().find("too many colons") == 0);
  CHECK(parse_listen_address(":65536").error().message() == "port \"65536\" is not 0-65535");
  CHECK(parse_listen_address(":http").error().message() == "port \"http\" is not 0-65535");
  CHECK(parse_listen_address("metrics.example:9402").error().message() ==
        "host \"metrics.example\" is not an IP address or localhost");
}

TEST_CASE("an unusable address fails listen with the flag to change") {
  asio::io_context io;
  auto bad = HttpEndpoints::listen(io.get_executor(), "9402");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code() == Errc::invalid_argument);
  CHECK(bad.error().message() ==
        "cannot listen on \"9402\": missing port in address; pass --metrics-listen-address as "
        "host:port, such as 0.0.0.0:9402 (:9402: every interface)");

  auto first = HttpEndpoints::listen(io.get_executor(), "127.0.0.1:0");
  REQUIRE(first.ok());
  const std::string taken = "127.0.0.1:" + std::to_string((*first)->port());
  auto second = HttpEndpoints::listen(io.get_executor(), taken);
  REQUIRE_FALSE(second.ok());
  CHECK(second.error().code() == std::errc::address_in_use);
  CHECK(second.error().message() == "cannot listen on " + taken +
                                        ": address in use; pass --metrics-listen-address to "
                                        "choose another");

  HttpEndpointsOptions healthz;
  healthz.flag = "--healthz-listen-address";
  auto third = HttpEndpoints::listen(io.get_executor(), taken, healthz);
  REQUIRE_FALSE(third.ok());
  CHECK(third.error().message().find("pass --healthz-listen-address") != std::string::npos);

  // Every interface (IPv6 and IPv4, or IPv4 alone), a free port.
  auto any = HttpEndpoints::listen(io.get_executor(), ":0");
  REQUIRE(any.ok());
  CHECK((*any)->port() != 0);
  auto local = HttpEndpoints::listen(io.get_executor(), "localhost:0");
  REQUIRE(local.ok());
}

TEST_CASE("the server routes exact paths before prefixes, the longest prefix first") {
  reactor::Reactor reactor{1};
  reactor.start();
  auto made = reactor::HttpServer::listen(reactor.shard(0).executor(), "127.0.0.1:0");
  REQUIRE(made.ok());
  std::unique_ptr<reactor::HttpServer> server = std::move(*made);
  auto echo = [](std::string name) {
    return [name](std::string_view path) {
      return reactor::HttpReply{200, "text/plain", name + " " + std::string(path)};
    };
  };
  server->route_prefix("/.well-known/", echo("short"));
  server->route_prefix("/.well-known/acme-challenge/", echo("long"));
  server->route("/.well-known/acme-challenge/exact", echo("exact"));
  reactor.spawn_service(reactor.shard(0),
                        [&]() -> asio::awaitable<void> { co_await server->run(); });
  Clients clients;
  clients.run([&]() -> asio::awaitable<void> {
    const unsigned short port = server->port();
    CHECK((co_await get(port, "/.well-known/acme-challenge/tok?x=1")).body ==
          "long /.well-known/acme-challenge/tok");
    CHECK((co_await get(port, "/.well-known/other")).body == "short /.well-known/other");
    CHECK((co_await get(port, "/.well-known/acme-challenge/exact")).body ==
          "exact /.well-known/acme-challenge/exact");
    CHECK((co_await get(port, "/elsewhere")).status == 404);
  });
  reactor.shutdown(5s, 1s).get();
  reactor.join();
}
