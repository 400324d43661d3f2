// The HttpClient over Beast. A connection is a tcp_stream, wrapped in TLS for
// https; every operation on it runs under the stream's own expiry, which is
// the request's deadline. Idle keep-alive connections wait in a small pool.
#include "k8s/http_client.hpp"

#include <deque>
#include <fstream>
#include <sstream>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "k8s/api_error.hpp"
#include "reactor/idle_pool.hpp"

namespace certmill::k8s {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
// Requests in flight at once per client (one client per shard); more wait
// for a connection. Unbounded, a burst of reconciles opened hundreds of TLS
// connections, paying a handshake and buffers each; bench_fleet finds 8 as
// fast as more, with less memory (bench/RESULTS.md).
constexpr std::size_t kMaxOpen = 8;
constexpr std::size_t kMaxIdle = kMaxOpen;
constexpr std::uint64_t kMaxBody = 512ull << 20;
// One watch event is one object; the API server refuses objects past 3 MiB.
constexpr std::size_t kMaxEvent = 16u << 20;
constexpr std::string_view kUserAgent = "certmill/0.1";
// Bound tokens rotate; kubelet refreshes the file well before expiry.
constexpr auto kTokenRefresh = std::chrono::minutes(1);

Error net_error(std::string_view what, const boost::system::error_code& ec) {
  return Error(std::error_code(ec.value(), std::system_category()),
               std::string(what) + ": " + ec.message());
}

struct ServerUrl {
  bool tls = true;
  std::string host;  // without brackets
  std::string port;
  std::string base_path;  // a prefix such as /k8s/clusters/c-1, or empty
};

Result<ServerUrl> parse_server(const std::string& server) {
  ServerUrl url;
  std::string_view rest = server;
  if (rest.rfind("https://", 0) == 0) {
    rest.remove_prefix(8);
  } else if (rest.rfind("http://", 0) == 0) {
    url.tls = false;
    rest.remove_prefix(7);
  } else {
    return Error(Errc::invalid_argument, "server \"" + server + "\" is not an http(s) URL");
  }
  const auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos)
    url.base_path = std::string(rest.substr(slash));
  while (!url.base_path.empty() && url.base_path.back() == '/')
    url.base_path.pop_back();
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) {
      return Error(Errc::invalid_argument, "server \"" + server + "\" has an unclosed [");
    }
    url.host = std::string(authority.substr(1, close - 1));
    authority.remove_prefix(close + 1);
    if (!authority.empty() && authority.front() == ':')
      url.port = authority.substr(1);
  } else {
    const auto colon = authority.rfind(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos)
      url.port = std::string(authority.substr(colon + 1));
  }
  if (url.host.empty())
    return Error(Errc::invalid_argument, "server \"" + server + "\" has no host");
  if (url.port.empty())
    url.port = url.tls ? "443" : "80";
  return url;
}

struct Connection {
  explicit Connection(const asio::any_io_executor& ex, ssl::context* tls_context) {
    if (tls_context != nullptr) {
      tls.emplace(ex, *tls_context);
    } else {
      plain.emplace(ex);
    }
  }
  beast::tcp_stream& lowest() { return tls ? beast::get_lowest_layer(*tls) : *plain; }

  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls;
  beast::flat_buffer buffer;
};

template <class Stream>
asio::awaitable<Result<HttpResponse>> exchange(Stream& stream, beast::flat_buffer& buffer,
                                               http::request<http::string_body>& request,
                                               bool& keep_alive) {
  auto [write_ec, written] = co_await http::async_write(stream, request, kAwait);
  if (write_ec)
    co_return net_error("sending the request", write_ec);
  http::response_parser<http::string_body> parser;
  parser.body_limit(kMaxBody);
  auto [read_ec, read] = co_await http::async_read(stream, buffer, parser, kAwait);
  if (read_ec)
    co_return net_error("reading the answer", read_ec);
  auto& message = parser.get();
  keep_alive = message.keep_alive();
  HttpResponse response;
  response.status = message.result_int();
  response.content_type = std::string(message[http::field::content_type]);
  response.retry_after = std::string(message[http::field::retry_after]);
  response.body = std::move(message.body());
  co_return response;
}

class BeastLineStream final : public LineStream {
 public:
  BeastLineStream(std::unique_ptr<Connection> connection,
                  std::unique_ptr<http::response_parser<http::string_body>> parser)
      : connection_(std::move(connection)), parser_(std::move(parser)) {}

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
          co_return Error(Errc::invalid_json, "the stream ended inside an event (" +
                                                  std::to_string(pending_.size()) + " bytes)");
        }
        co_return std::optional<std::string>();
      }
      connection_->lowest().expires_after(idle);
      boost::system::error_code ec;
      if (connection_->tls) {
        std::tie(ec, std::ignore) = co_await http::async_read_some(
            *connection_->tls, connection_->buffer, *parser_, kAwait);
      } else {
        std::tie(ec, std::ignore) = co_await http::async_read_some(
            *connection_->plain, connection_->buffer, *parser_, kAwait);
      }
      if (ec == beast::error::timeout) {
        co_return Error(std::make_error_code(std::errc::timed_out),
                        "no data on the stream for " + format_duration(idle));
      }
      if (ec)
        co_return net_error("reading the stream", ec);
      std::string& body = parser_->get().body();
      pending_ += body;
      body.clear();
      if (pending_.size() > kMaxEvent && pending_.find('\n') == std::string::npos) {
        co_return Error(Errc::invalid_json,
                        "a watch event is larger than " + std::to_string(kMaxEvent >> 20) + " MiB");
      }
    }
  }

 private:
  std::unique_ptr<Connection> connection_;
  std::unique_ptr<http::response_parser<http::string_body>> parser_;
  std::string pending_;
};

class BeastHttpClient final : public HttpClient {
 public:
  BeastHttpClient(asio::any_io_executor executor, ServerUrl url, ClientConfig config,
                  std::unique_ptr<ssl::context> tls_context)
      : executor_(std::move(executor)),
        url_(std::move(url)),
        config_(std::move(config)),
        tls_context_(std::move(tls_context)) {}

  asio::awaitable<Result<HttpResponse>> send(HttpRequest request, Duration timeout) override {
    if (Status slot = co_await acquire_slot(timeout); !slot)
      co_return slot.error();
    const SlotRelease release{this};
    auto message = build(request);
    // A pooled connection may have been closed by the server while idle:
    // then the request goes once more, on a new connection.
    for (int attempt = 0; attempt < 2; ++attempt) {
      auto connection = attempt == 0 ? idle_.take(std::chrono::steady_clock::now()) : nullptr;
      const bool reused = connection != nullptr;
      if (!reused) {
        auto fresh = co_await connect(timeout);
        if (!fresh)
          co_return fresh.error();
        connection = std::move(*fresh);
      }
      Connection& c = *connection;
      c.lowest().expires_after(timeout);
      bool keep_alive = false;
      auto response = c.tls ? co_await exchange(*c.tls, c.buffer, message, keep_alive)
                            : co_await exchange(*c.plain, c.buffer, message, keep_alive);
      if (!response) {
        if (!reused)
          co_return response.error();
        idle_.clear();
        continue;
      }
      if (keep_alive) {
        c.lowest().expires_never();
        idle_.put(std::move(connection), std::chrono::steady_clock::now());
      }
      co_return response;
    }
    co_return Error(Errc::invalid_argument, "unreachable");
  }

  asio::awaitable<Result<std::unique_ptr<LineStream>>> stream(HttpRequest request,
                                                              Duration timeout) override {
    auto message = build(request);
    // A stream holds its connection for its whole life: never a pooled one.
    auto connection = co_await connect(timeout);
    if (!connection)
      co_return connection.error();
    Connection& c = **connection;
    c.lowest().expires_after(timeout);
    boost::system::error_code ec;
    auto parser = std::make_unique<http::response_parser<http::string_body>>();
    parser->body_limit(boost::none);
    if (c.tls) {
      std::tie(ec, std::ignore) = co_await http::async_write(*c.tls, message, kAwait);
      if (!ec)
        std::tie(ec, std::ignore) =
            co_await http::async_read_header(*c.tls, c.buffer, *parser, kAwait);
    } else {
      std::tie(ec, std::ignore) = co_await http::async_write(*c.plain, message, kAwait);
      if (!ec)
        std::tie(ec, std::ignore) =
            co_await http::async_read_header(*c.plain, c.buffer, *parser, kAwait);
    }
    if (ec)
      co_return net_error("opening the stream", ec);
    const unsigned status = parser->get().result_int();
    if (status != 200) {
      const std::string retry_after(parser->get()[http::field::retry_after]);
      parser->body_limit(1u << 20);
      if (c.tls) {
        std::tie(ec, std::ignore) = co_await http::async_read(*c.tls, c.buffer, *parser, kAwait);
      } else {
        std::tie(ec, std::ignore) = co_await http::async_read(*c.plain, c.buffer, *parser, kAwait);
      }
      co_return api_error(status, parser->get().body(), retry_after);
    }
    co_return std::unique_ptr<LineStream>(
        std::make_unique<BeastLineStream>(std::move(*connection), std::move(parser)));
  }

  std::size_t idle_connections() const override { return idle_.size(); }

 private:
  http::request<http::string_body> build(const HttpRequest& request) {
    http::request<http::string_body> message(http::string_to_verb(request.method),
                                             url_.base_path + request.target, 11);
    message.set(http::field::host, url_.host);
    message.set(http::field::user_agent, kUserAgent);
    message.set(http::field::accept, request.accept);
    if (const std::string token = bearer_token(); !token.empty()) {
      message.set(http::field::authorization, "Bearer " + token);
    }
    if (!request.content_type.empty())
      message.set(http::field::content_type, request.content_type);
    message.keep_alive(true);
    message.body() = request.body;
    message.prepare_payload();
    return message;
  }

  std::string bearer_token() {
    if (config_.token_file.empty())
      return config_.token;
    const auto now = std::chrono::steady_clock::now();
    if (token_read_at_ && now - *token_read_at_ < kTokenRefresh)
      return token_;
    std::ifstream in(config_.token_file);
    if (in) {
      std::ostringstream s;
      s << in.rdbuf();
      token_ = s.str();
      while (!token_.empty() && (token_.back() == '\n' || token_.back() == '\r'))
        token_.pop_back();
      token_read_at_ = now;
    }
    return token_;
  }

  // One of kMaxOpen request slots; waits, within `timeout`, for one to free.
  struct Waiter {
    explicit Waiter(const asio::any_io_executor& executor) : timer(executor) {}
    asio::steady_timer timer;
    bool handed = false;  // release_slot() passed its slot on to this waiter
  };
  struct SlotRelease {
    BeastHttpClient* client;
    ~SlotRelease() { client->release_slot(); }
  };

  asio::awaitable<Status> acquire_slot(Duration timeout) {
    if (busy_ < kMaxOpen) {
      ++busy_;
      co_return Status{};
    }
    auto waiter = std::make_shared<Waiter>(executor_);
    waiter->timer.expires_after(timeout);
    waiters_.push_back(waiter);
    co_await waiter->timer.async_wait(kAwait);
    if (waiter->handed)
      co_return Status{};
    std::erase(waiters_, waiter);
    co_return Error(std::make_error_code(std::errc::timed_out),
                    "no connection to the API server came free within the request's deadline");
  }

  void release_slot() {
    if (waiters_.empty()) {
      --busy_;
      return;
    }
    auto next = std::move(waiters_.front());
    waiters_.pop_front();
    next->handed = true;
    next->timer.cancel();
  }

  asio::awaitable<Result<std::unique_ptr<Connection>>> connect(Duration timeout) {
    auto connection = std::make_unique<Connection>(executor_, tls_context_.get());
    beast::tcp_stream& socket = connection->lowest();
    socket.expires_after(timeout);
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(url_.host, ec);
    if (!ec) {
      const auto port = static_cast<unsigned short>(std::stoul(url_.port));
      std::tie(ec) = co_await socket.async_connect(tcp::endpoint(address, port), kAwait);
    } else {
      // Name resolution has no deadline of its own; the API server is
      // normally an address or a name in /etc/hosts.
      tcp::resolver resolver(executor_);
      auto [resolve_ec, endpoints] = co_await resolver.async_resolve(url_.host, url_.port, kAwait);
      if (resolve_ec)
        co_return net_error("resolving " + url_.host, resolve_ec);
      std::tie(ec, std::ignore) = co_await socket.async_connect(endpoints, kAwait);
    }
    if (ec)
      co_return net_error("connecting to " + url_.host + ":" + url_.port, ec);
    if (connection->tls) {
      auto& tls = *connection->tls;
      const std::string& name =
          config_.tls_server_name.empty() ? url_.host : config_.tls_server_name;
      if (!config_.insecure_skip_tls_verify) {
        tls.set_verify_callback(ssl::host_name_verification(name));
      }
      boost::system::error_code is_ip;
      asio::ip::make_address(name, is_ip);
      if (is_ip && !SSL_set_tlsext_host_name(tls.native_handle(), name.c_str())) {
        co_return Error(Errc::invalid_argument, "cannot use \"" + name + "\" as TLS server name");
      }
      std::tie(ec) = co_await tls.async_handshake(ssl::stream_base::client, kAwait);
      if (ec)
        co_return net_error("TLS handshake with " + url_.host, ec);
    }
    co_return connection;
  }

  asio::any_io_executor executor_;
  ServerUrl url_;
  ClientConfig config_;
  std::unique_ptr<ssl::context> tls_context_;
  reactor::IdlePool<Connection> idle_{kMaxIdle, reactor::kDefaultMaxIdle};
  std::size_t busy_ = 0;
  std::deque<std::shared_ptr<Waiter>> waiters_;
  std::string token_;
  std::optional<std::chrono::steady_clock::time_point> token_read_at_;
};

Result<std::unique_ptr<ssl::context>> make_tls_context(const ClientConfig& config) {
  auto context = std::make_unique<ssl::context>(ssl::context::tls_client);
  boost::system::error_code ec;
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  if (config.insecure_skip_tls_verify) {
    context->set_verify_mode(ssl::verify_none);
  } else {
    context->set_verify_mode(ssl::verify_peer);
    if (config.ca_pem.empty()) {
      context->set_default_verify_paths(ec);
    } else {
      context->add_certificate_authority(asio::buffer(config.ca_pem), ec);
    }
    if (ec)
      return Error(Errc::invalid_argument, "certificate authority: " + ec.message());
  }
  if (!config.client_cert_pem.empty()) {
    context->use_certificate_chain(asio::buffer(config.client_cert_pem), ec);
    if (ec)
      return Error(Errc::invalid_argument, "client certificate: " + ec.message());
    context->use_private_key(asio::buffer(config.client_key_pem), ssl::context::pem, ec);
    // The key's bytes never go into a message.
    if (ec)
      return Error(Errc::invalid_argument, "client key does not load: " + ec.message());
  }
  return context;
}

}  // namespace

Result<std::unique_ptr<HttpClient>> HttpClient::create(const asio::any_io_executor& executor,
                                                       const ClientConfig& config) {
  auto url = parse_server(config.server);
  if (!url)
    return url.error();
  std::unique_ptr<ssl::context> tls;
  if (url->tls) {
    auto context = make_tls_context(config);
    if (!context)
      return context.error();
    tls = std::move(*context);
  }
  return std::unique_ptr<HttpClient>(
      std::make_unique<BeastHttpClient>(executor, std::move(*url), config, std::move(tls)));
}

}  // namespace certmill::k8s
