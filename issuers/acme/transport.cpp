// The Transport over Beast. A connection is a tcp_stream, wrapped in TLS for
// https; every operation on it runs under the stream's expiry, set to the
// request's absolute deadline. Idle keep-alive connections wait in a pool per
// origin; a request slot bounds how many connections are open at once.
#include "issuers/acme/transport.hpp"

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

#include "core/port.hpp"
#include "reactor/idle_pool.hpp"

namespace certmill::issuers::acme {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Deadline = std::chrono::steady_clock::time_point;

constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
// A certificate chain or an order is kilobytes; a CA sending more is broken.
constexpr std::uint64_t kMaxBody = 4u << 20;
constexpr std::string_view kUserAgent = "certmill/0.1";

struct Url {
  bool tls = true;
  std::string host;  // without brackets
  std::string port;
  std::string target;  // path and query, at least "/"
  std::string origin() const { return (tls ? "https://" : "http://") + host + ":" + port; }
};

Result<Url> parse_url(const std::string& text) {
  Url url;
  std::string_view rest = text;
  if (rest.starts_with("https://")) {
    rest.remove_prefix(8);
  } else if (rest.starts_with("http://")) {
    url.tls = false;
    rest.remove_prefix(7);
  } else {
    return Error(Errc::invalid_argument, "\"" + text + "\" is not an http(s) URL");
  }
  const auto slash = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, slash);
  url.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (url.target.front() == '?')
    url.target.insert(0, "/");
  std::string_view port;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos)
      return Error(Errc::invalid_argument, "URL \"" + text + "\" has an unclosed [");
    url.host = std::string(authority.substr(1, close - 1));
    if (authority.substr(close + 1).starts_with(':'))
      port = authority.substr(close + 2);
  } else {
    const auto colon = authority.rfind(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos)
      port = authority.substr(colon + 1);
  }
  if (url.host.empty())
    return Error(Errc::invalid_argument, "URL \"" + text + "\" has no host");
  if (!port.empty() && !parse_port(port))
    return Error(Errc::invalid_argument, "URL \"" + text + "\" has a bad port");
  url.port = port.empty() ? (url.tls ? "443" : "80") : std::string(port);
  return url;
}

Error net_error(const Url& url, std::string_view what, const boost::system::error_code& ec) {
  if (ec == beast::error::timeout)
    return Error(std::make_error_code(std::errc::timed_out),
                 std::string(what) + " " + url.origin() + ": the request's deadline passed");
  if (ec == asio::error::operation_aborted)
    return Error(std::make_error_code(std::errc::operation_canceled),
                 std::string(what) + " " + url.origin() + ": cancelled");
  return Error(std::error_code(ec.value(), std::system_category()),
               std::string(what) + " " + url.origin() + ": " + ec.message());
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

  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls;
  beast::flat_buffer buffer;
};

template <class Stream>
asio::awaitable<boost::system::error_code> exchange(
    Stream& stream, beast::flat_buffer& buffer, http::request<http::string_body>& request,
    http::response_parser<http::string_body>& parser) {
  auto [write_ec, written] = co_await http::async_write(stream, request, kAwait);
  if (write_ec)
    co_return write_ec;
  // A HEAD answer announces a Content-Length but carries no body.
  parser.skip(request.method() == http::verb::head);
  parser.body_limit(kMaxBody);
  auto [read_ec, read] = co_await http::async_read(stream, buffer, parser, kAwait);
  co_return read_ec;
}

HttpResponse response_of(http::response<http::string_body>& message) {
  HttpResponse response;
  response.status = message.result_int();
  response.content_type = std::string(message[http::field::content_type]);
  response.replay_nonce = std::string(message["Replay-Nonce"]);
  response.location = std::string(message[http::field::location]);
  response.retry_after = std::string(message[http::field::retry_after]);
  for (auto [it, end] = message.equal_range(http::field::link); it != end; ++it)
    response.links.emplace_back(it->value());
  response.body = std::move(message.body());
  return response;
}

class BeastTransport final : public Transport {
 public:
  BeastTransport(asio::any_io_executor executor, TransportConfig config,
                 std::unique_ptr<ssl::context> tls_context)
      : executor_(std::move(executor)),
        config_(std::move(config)),
        tls_context_(std::move(tls_context)) {}

  asio::awaitable<Result<HttpResponse>> send(HttpRequest request, Duration timeout) override {
    auto url = parse_url(request.url);
    if (!url)
      co_return url.error();
    const Deadline deadline =
        std::chrono::steady_clock::now() +
        std::chrono::duration_cast<std::chrono::steady_clock::duration>(timeout);
    if (Status slot = co_await acquire_slot(*url, deadline); !slot)
      co_return slot.error();
    const SlotRelease release{this};
    auto message = build(request, *url);
    // A pooled connection may have been closed by the CA while idle: then the
    // request goes once more on a new connection. Resending a JWS is safe: its
    // nonce is single-use, so the CA cannot act on it twice.
    for (int attempt = 0; attempt < 2; ++attempt) {
      auto connection = attempt == 0 ? take_idle(*url) : nullptr;
      const bool reused = connection != nullptr;
      if (!reused) {
        auto fresh = co_await connect(*url, deadline);
        if (!fresh)
          co_return fresh.error();
        connection = std::move(*fresh);
      }
      Connection& c = *connection;
      c.lowest().expires_at(deadline);
      http::response_parser<http::string_body> parser;
      const auto ec = c.tls ? co_await exchange(*c.tls, c.buffer, message, parser)
                            : co_await exchange(*c.plain, c.buffer, message, parser);
      if (ec) {
        const bool retry =
            reused && ec != beast::error::timeout && ec != asio::error::operation_aborted;
        if (retry) {
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

  std::size_t idle_connections() const override {
    std::size_t count = 0;
    for (const auto& [origin, pool] : idle_)
      count += pool.size();
    return count;
  }

 private:
  http::request<http::string_body> build(const HttpRequest& request, const Url& url) const {
    http::request<http::string_body> message(http::string_to_verb(request.method), url.target, 11);
    // With the port unless it is the scheme's: CAs build the URLs they send
    // back (directory, Location) from it.
    const bool default_port = url.port == (url.tls ? "443" : "80");
    const bool ipv6 = url.host.find(':') != std::string::npos;
    message.set(http::field::host, !request.host.empty()
                                       ? request.host
                                       : (ipv6 ? "[" + url.host + "]" : url.host) +
                                             (default_port ? "" : ":" + url.port));
    message.set(http::field::user_agent, kUserAgent);
    if (!request.accept.empty())
      message.set(http::field::accept, request.accept);
    if (!request.content_type.empty())
      message.set(http::field::content_type, request.content_type);
    message.keep_alive(true);
    message.body() = request.body;
    message.prepare_payload();
    return message;
  }

  std::unique_ptr<Connection> take_idle(const Url& url) {
    auto it = idle_.find(url.origin());
    return it == idle_.end() ? nullptr : it->second.take(std::chrono::steady_clock::now());
  }

  void keep_idle(const Url& url, std::unique_ptr<Connection> connection) {
    if (idle_connections() >= config_.max_connections)
      return;
    connection->lowest().expires_never();
    idle_.try_emplace(url.origin(), config_.max_connections, reactor::kDefaultMaxIdle)
        .first->second.put(std::move(connection), std::chrono::steady_clock::now());
  }

  // One of max_connections request slots; waits until the deadline for one.
  struct Waiter {
    explicit Waiter(const asio::any_io_executor& executor) : timer(executor) {}
    asio::steady_timer timer;
    bool handed = false;  // release_slot() passed its slot on to this waiter
  };
  struct SlotRelease {
    BeastTransport* transport;
    ~SlotRelease() { transport->release_slot(); }
  };

  asio::awaitable<Status> acquire_slot(const Url& url, Deadline deadline) {
    if (busy_ < config_.max_connections) {
      ++busy_;
      co_return Status{};
    }
    auto waiter = std::make_shared<Waiter>(executor_);
    waiter->timer.expires_at(deadline);
    waiters_.push_back(waiter);
    auto [ec] = co_await waiter->timer.async_wait(kAwait);
    if (waiter->handed)
      co_return Status{};
    std::erase(waiters_, waiter);
    co_return net_error(url, "waiting for a connection to",
                        ec ? ec : boost::system::error_code(beast::error::timeout));
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

  asio::awaitable<Result<std::unique_ptr<Connection>>> connect(const Url& url, Deadline deadline) {
    auto connection =
        std::make_unique<Connection>(executor_, url.tls ? tls_context_.get() : nullptr);
    beast::tcp_stream& socket = connection->lowest();
    socket.expires_at(deadline);
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(url.host, ec);
    const bool is_address = !ec;
    if (is_address) {
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
      if (!config_.skip_tls_verify)
        tls.set_verify_callback(ssl::host_name_verification(url.host));
      // SNI carries names only (RFC 6066 §3).
      if (!is_address && !SSL_set_tlsext_host_name(tls.native_handle(), url.host.c_str()))
        co_return Error(Errc::invalid_argument, "cannot use \"" + url.host + "\" as TLS name");
      std::tie(ec) = co_await tls.async_handshake(ssl::stream_base::client, kAwait);
      if (ec)
        co_return net_error(url, "TLS handshake with", ec);
    }
    co_return connection;
  }

  asio::any_io_executor executor_;
  TransportConfig config_;
  std::unique_ptr<ssl::context> tls_context_;
  std::map<std::string, reactor::IdlePool<Connection>> idle_;
  std::size_t busy_ = 0;
  std::deque<std::shared_ptr<Waiter>> waiters_;
};

Result<std::unique_ptr<ssl::context>> make_tls_context(const TransportConfig& config) {
  auto context = std::make_unique<ssl::context>(ssl::context::tls_client);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  if (config.skip_tls_verify) {
    context->set_verify_mode(ssl::verify_none);
    return context;
  }
  context->set_verify_mode(ssl::verify_peer);
  boost::system::error_code ec;
  if (config.ca_bundle_pem.empty()) {
    context->set_default_verify_paths(ec);
  } else {
    context->add_certificate_authority(asio::buffer(config.ca_bundle_pem), ec);
  }
  if (ec)
    return Error(Errc::invalid_argument, "CA bundle: " + ec.message());
  return context;
}

}  // namespace

Result<std::unique_ptr<Transport>> Transport::create(const asio::any_io_executor& executor,
                                                     const TransportConfig& config) {
  if (config.max_connections == 0)
    return Error(Errc::invalid_argument, "a transport needs at least one connection");
  auto tls = make_tls_context(config);
  if (!tls)
    return tls.error();
  return std::unique_ptr<Transport>(
      std::make_unique<BeastTransport>(executor, config, std::move(*tls)));
}

}  // namespace certmill::issuers::acme
