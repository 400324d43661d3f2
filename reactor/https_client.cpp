// The HttpsClient over Beast. A connection is a tcp_stream, wrapped in TLS
// for https; every operation on it runs under the stream's expiry, set to the
// request's absolute deadline. Idle keep-alive connections wait in a pool per
// origin; request slots bound how many connections are busy at once.
#include "reactor/https_client.hpp"

#include <deque>
#include <map>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "core/http_url.hpp"
#include "reactor/idle_pool.hpp"

namespace certmill::reactor {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Deadline = std::chrono::steady_clock::time_point;

constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
constexpr std::string_view kUserAgent = "certmill/0.1";
// The body of a stream's refusal (a Status object) is small.
constexpr std::uint64_t kMaxRefusal = 1u << 20;

Error net_error(const HttpUrl& url, std::string_view what, const boost::system::error_code& ec) {
  const std::string where = std::string(what) + " " + url.origin();
  if (ec == beast::error::timeout)
    return Error(std::make_error_code(std::errc::timed_out),
                 where + ": the request's deadline passed");
  if (ec == asio::error::operation_aborted)
    return Error(std::make_error_code(std::errc::operation_canceled), where + ": cancelled");
  // The server closed the connection before its answer was whole: a broken
  // connection, as callers that retry one (the ACME client) read it. Beast's
  // and Asio's own codes are not errno values: taken as one, end_of_stream
  // (1) read as "operation not permitted".
  if (ec == beast::http::error::end_of_stream || ec == beast::http::error::partial_message ||
      ec == asio::error::eof || ec == asio::ssl::error::stream_truncated)
    return Error(std::make_error_code(std::errc::connection_aborted),
                 where + ": the server closed the connection (" + ec.message() + ")");
  if (ec.category() != boost::system::system_category())
    return Error(std::make_error_code(std::errc::io_error), where + ": " + ec.message());
  return Error(std::error_code(ec.value(), std::system_category()), where + ": " + ec.message());
}

struct Connection {
  Connection(const asio::any_io_executor& ex, ssl::context* tls_context) {
    if (tls_context != nullptr) {
      tls.emplace(ex, *tls_context);
    } else {
      plain.emplace(ex);
    }
  }
  beast::tcp_stream& lowest() { return tls ? beast::get_lowest_layer(*tls) : *plain; }

  // Runs `operation(stream)` on whichever stream this connection has.
  template <class Operation>
  auto on_stream(Operation operation) {
    return tls ? operation(*tls) : operation(*plain);
  }

  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls;
  beast::flat_buffer buffer;
};

using Parser = http::response_parser<http::string_body>;

HttpsResponse response_of(http::response<http::string_body>& message) {
  HttpsResponse response;
  response.status = message.result_int();
  for (const auto& field : message)
    response.headers.push_back({std::string(field.name_string()), std::string(field.value())});
  response.body = std::move(message.body());
  return response;
}

asio::awaitable<boost::system::error_code> write_then_read(
    Connection& c, http::request<http::string_body>& request, Parser& parser) {
  auto [write_ec, written] = co_await c.on_stream(
      [&](auto& stream) { return http::async_write(stream, request, kAwait); });
  if (write_ec)
    co_return write_ec;
  // A HEAD answer announces a Content-Length but carries no body.
  parser.skip(request.method() == http::verb::head);
  auto [read_ec, read] = co_await c.on_stream(
      [&](auto& stream) { return http::async_read(stream, c.buffer, parser, kAwait); });
  co_return read_ec;
}

class BeastLineStream final : public LineStream {
 public:
  BeastLineStream(std::unique_ptr<Connection> connection, std::unique_ptr<Parser> parser,
                  std::size_t max_line)
      : connection_(std::move(connection)), parser_(std::move(parser)), max_line_(max_line) {}

  asio::awaitable<Result<std::optional<std::string>>> next_line(Duration idle) override {
    for (;;) {
      if (const auto newline = pending_.find('\n'); newline != std::string::npos) {
        std::string line = pending_.substr(0, newline);
        pending_.erase(0, newline + 1);
        if (line.empty())
          continue;
        co_return std::optional<std::string>(std::move(line));
      }
      if (parser_->is_done()) {
        if (!pending_.empty()) {
          co_return Error(Errc::invalid_json, "the stream ended inside a line (" +
                                                  std::to_string(pending_.size()) + " bytes)");
        }
        co_return std::optional<std::string>();
      }
      connection_->lowest().expires_after(idle);
      auto [ec, read] = co_await connection_->on_stream([&](auto& stream) {
        return http::async_read_some(stream, connection_->buffer, *parser_, kAwait);
      });
      if (ec == beast::error::timeout) {
        co_return Error(std::make_error_code(std::errc::timed_out),
                        "no data on the stream for " + format_duration(idle));
      }
      if (ec == asio::error::operation_aborted)
        co_return Error(std::make_error_code(std::errc::operation_canceled), "stream cancelled");
      if (ec) {
        co_return Error(std::error_code(ec.value(), std::system_category()),
                        "reading the stream: " + ec.message());
      }
      std::string& body = parser_->get().body();
      pending_ += body;
      body.clear();
      if (pending_.size() > max_line_ && pending_.find('\n') == std::string::npos) {
        co_return Error(Errc::invalid_json, "a line of the stream is longer than " +
                                                std::to_string(max_line_) + " bytes");
      }
    }
  }

 private:
  std::unique_ptr<Connection> connection_;
  std::unique_ptr<Parser> parser_;
  std::size_t max_line_;
  std::string pending_;
};

class BeastHttpsClient final : public HttpsClient {
 public:
  BeastHttpsClient(asio::any_io_executor executor, HttpsClientOptions options,
                   std::unique_ptr<ssl::context> tls_context)
      : executor_(std::move(executor)),
        options_(std::move(options)),
        tls_context_(std::move(tls_context)) {}

  asio::awaitable<Result<HttpsResponse>> send(HttpsRequest request, Duration timeout) override {
    auto url = parse_http_url(request.url);
    if (!url)
      co_return url.error();
    const Deadline deadline = deadline_after(timeout);
    if (Status slot = co_await acquire_slot(*url, deadline); !slot)
      co_return slot.error();
    const SlotRelease release{slots_};
    auto message = build(request, *url);
    // A pooled connection may have been closed by the server while idle: then
    // the request goes once more, on a new connection. (The callers' requests
    // are safe to repeat: API calls carry resourceVersions or are reads, and a
    // JWS's nonce is single-use.)
    for (int attempt = 0; attempt < 2; ++attempt) {
      auto connection = attempt == 0 ? take_idle(*url) : nullptr;
      const bool reused = connection != nullptr;
      if (!reused) {
        auto fresh = co_await connect(*url, deadline);
        if (!fresh)
          co_return fresh.error();
        connection = std::move(*fresh);
      }
      connection->lowest().expires_at(deadline);
      Parser parser;
      parser.body_limit(options_.max_body);
      const auto ec = co_await write_then_read(*connection, message, parser);
      if (ec) {
        if (reused && ec != beast::error::timeout && ec != asio::error::operation_aborted) {
          // The origin's other idle connections are as old: none is tried.
          idle_.erase(url->origin());
          continue;
        }
        co_return net_error(*url, "asking", ec);
      }
      auto& answer = parser.get();
      if (answer.keep_alive())
        keep_idle(*url, std::move(connection));
      co_return response_of(answer);
    }
    co_return Error(Errc::invalid_argument, "unreachable");
  }

  asio::awaitable<Result<StreamOpening>> stream(HttpsRequest request, Duration timeout,
                                                std::size_t max_line) override {
    auto url = parse_http_url(request.url);
    if (!url)
      co_return url.error();
    const Deadline deadline = deadline_after(timeout);
    auto message = build(request, *url);
    auto connection = co_await connect(*url, deadline);
    if (!connection)
      co_return connection.error();
    Connection& c = **connection;
    c.lowest().expires_at(deadline);
    auto parser = std::make_unique<Parser>();
    parser->body_limit(boost::none);
    auto [write_ec, written] = co_await c.on_stream(
        [&](auto& stream) { return http::async_write(stream, message, kAwait); });
    auto [read_ec, read] =
        write_ec ? std::tuple(write_ec, std::size_t{0}) : co_await c.on_stream([&](auto& stream) {
          return http::async_read_header(stream, c.buffer, *parser, kAwait);
        });
    if (write_ec || read_ec)
      co_return net_error(*url, "opening a stream from", write_ec ? write_ec : read_ec);
    StreamOpening opening;
    if (parser->get().result_int() != 200) {
      parser->body_limit(kMaxRefusal);
      std::tie(read_ec, std::ignore) = co_await c.on_stream(
          [&](auto& stream) { return http::async_read(stream, c.buffer, *parser, kAwait); });
      opening.head = response_of(parser->get());
      co_return opening;
    }
    opening.head = response_of(parser->get());
    opening.lines =
        std::make_unique<BeastLineStream>(std::move(*connection), std::move(parser), max_line);
    co_return opening;
  }

  std::size_t idle_connections() const override {
    std::size_t count = 0;
    for (const auto& [origin, pool] : idle_)
      count += pool.size();
    return count;
  }

 private:
  static Deadline deadline_after(Duration timeout) {
    return std::chrono::steady_clock::now() +
           std::chrono::duration_cast<std::chrono::steady_clock::duration>(timeout);
  }

  http::request<http::string_body> build(const HttpsRequest& request, const HttpUrl& url) const {
    http::request<http::string_body> message(http::string_to_verb(request.method), url.target, 11);
    message.set(http::field::host, url.authority());
    message.set(http::field::user_agent, kUserAgent);
    for (const auto& [name, value] : request.headers)
      message.set(name, value);
    message.keep_alive(true);
    message.body() = request.body;
    message.prepare_payload();
    return message;
  }

  std::unique_ptr<Connection> take_idle(const HttpUrl& url) {
    auto it = idle_.find(url.origin());
    return it == idle_.end() ? nullptr : it->second.take(std::chrono::steady_clock::now());
  }

  void keep_idle(const HttpUrl& url, std::unique_ptr<Connection> connection) {
    if (idle_connections() >= options_.max_connections)
      return;
    connection->lowest().expires_never();
    idle_.try_emplace(url.origin(), options_.max_connections, kDefaultMaxIdle)
        .first->second.put(std::move(connection), std::chrono::steady_clock::now());
  }

  // One of max_connections request slots; waits until the deadline for one.
  struct Waiter {
    explicit Waiter(const asio::any_io_executor& executor) : timer(executor) {}
    asio::steady_timer timer;
    bool handed = false;  // release_slot() passed its slot on to this waiter
  };
  // The slots' state outlives the client: a request's coroutine frame that a
  // shutdown abandons is destroyed with its io_context, which may be after
  // the client, and gives its slot back then.
  struct Slots {
    std::size_t busy = 0;
    std::deque<std::shared_ptr<Waiter>> waiters;
  };
  struct SlotRelease {
    std::shared_ptr<Slots> slots;
    ~SlotRelease() { release_slot(*slots); }
  };

  asio::awaitable<Status> acquire_slot(const HttpUrl& url, Deadline deadline) {
    Slots& slots = *slots_;
    if (slots.busy < options_.max_connections) {
      ++slots.busy;
      co_return Status{};
    }
    auto waiter = std::make_shared<Waiter>(executor_);
    waiter->timer.expires_at(deadline);
    slots.waiters.push_back(waiter);
    auto [ec] = co_await waiter->timer.async_wait(kAwait);
    if (waiter->handed)
      co_return Status{};
    std::erase(slots_->waiters, waiter);
    co_return net_error(url, "waiting for a connection to",
                        ec ? ec : boost::system::error_code(beast::error::timeout));
  }

  static void release_slot(Slots& slots) {
    if (slots.waiters.empty()) {
      --slots.busy;
      return;
    }
    auto next = std::move(slots.waiters.front());
    slots.waiters.pop_front();
    next->handed = true;
    next->timer.cancel();
  }

  asio::awaitable<Result<std::unique_ptr<Connection>>> connect(const HttpUrl& url,
                                                               Deadline deadline) {
    auto connection =
        std::make_unique<Connection>(executor_, url.tls ? tls_context_.get() : nullptr);
    beast::tcp_stream& socket = connection->lowest();
    socket.expires_at(deadline);
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(url.host, ec);
    if (!ec) {
      const auto port = static_cast<unsigned short>(std::stoul(url.port));
      std::tie(ec) = co_await socket.async_connect(tcp::endpoint(address, port), kAwait);
    } else {
      // The resolver has no deadline of its own; the system's resolver
      // timeouts bound it.
      tcp::resolver resolver(executor_);
      auto [resolve_ec, endpoints] = co_await resolver.async_resolve(url.host, url.port, kAwait);
      if (resolve_ec)
        co_return net_error(url, "resolving", resolve_ec);
      std::tie(ec, std::ignore) = co_await socket.async_connect(endpoints, kAwait);
    }
    if (ec)
      co_return net_error(url, "connecting to", ec);
    if (connection->tls) {
      auto& tls = *connection->tls;
      const std::string& name =
          options_.tls_server_name.empty() ? url.host : options_.tls_server_name;
      if (!options_.skip_tls_verify)
        tls.set_verify_callback(ssl::host_name_verification(name));
      // SNI carries names only (RFC 6066 §3).
      boost::system::error_code not_address;
      asio::ip::make_address(name, not_address);
      if (not_address && !SSL_set_tlsext_host_name(tls.native_handle(), name.c_str()))
        co_return Error(Errc::invalid_argument, "cannot use \"" + name + "\" as TLS server name");
      std::tie(ec) = co_await tls.async_handshake(ssl::stream_base::client, kAwait);
      if (ec)
        co_return net_error(url, "TLS handshake with", ec);
    }
    co_return connection;
  }

  asio::any_io_executor executor_;
  HttpsClientOptions options_;
  std::unique_ptr<ssl::context> tls_context_;
  std::map<std::string, IdlePool<Connection>> idle_;
  std::shared_ptr<Slots> slots_ = std::make_shared<Slots>();
};

Result<std::unique_ptr<ssl::context>> make_tls_context(const HttpsClientOptions& options) {
  auto context = std::make_unique<ssl::context>(ssl::context::tls_client);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  boost::system::error_code ec;
  if (options.skip_tls_verify) {
    context->set_verify_mode(ssl::verify_none);
  } else {
    context->set_verify_mode(ssl::verify_peer);
    if (options.ca_pem.empty()) {
      context->set_default_verify_paths(ec);
    } else {
      context->add_certificate_authority(asio::buffer(options.ca_pem), ec);
    }
    if (ec)
      return Error(Errc::invalid_argument, "certificate authority: " + ec.message());
  }
  if (!options.client_cert_pem.empty()) {
    context->use_certificate_chain(asio::buffer(options.client_cert_pem), ec);
    if (ec)
      return Error(Errc::invalid_argument, "client certificate: " + ec.message());
    context->use_private_key(asio::buffer(options.client_key_pem), ssl::context::pem, ec);
    if (ec)
      return Error(Errc::invalid_argument, "client key does not load: " + ec.message());
  }
  return context;
}

}  // namespace

Result<std::unique_ptr<HttpsClient>> HttpsClient::create(const asio::any_io_executor& executor,
                                                         HttpsClientOptions options) {
  if (options.max_connections == 0)
    return Error(Errc::invalid_argument, "an HTTPS client needs at least one connection");
  auto tls = make_tls_context(options);
  if (!tls)
    return tls.error();
  return std::unique_ptr<HttpsClient>(
      std::make_unique<BeastHttpsClient>(executor, std::move(options), std::move(*tls)));
}

}  // namespace certmill::reactor
