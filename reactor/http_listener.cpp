// The HttpListener over Beast: binding, the accept loop, one coroutine per
// connection (plain or TLS), reading under deadlines and caps, refusals, and
// the Responder that writes whole or chunked answers.
#include "reactor/http_listener.hpp"

#include <array>
#include <list>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "core/log.hpp"
#include "reactor/task_group.hpp"

namespace certmill::reactor {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
// Accepting fails at once and repeatedly when the process is out of file
// descriptors: pause rather than spin.
constexpr auto kAcceptPause = std::chrono::milliseconds(100);

// What the connections share with the listener. They hold it by shared_ptr,
// so it outlives every coroutine frame, even frames an io_context destroys
// unfinished after the HttpListener is gone.
struct State {
  State(HttpListenerOptions o, ServerHandler h) : options(std::move(o)), handler(std::move(h)) {}
  HttpListenerOptions options;
  ServerHandler handler;
  std::optional<ssl::context> tls;
  std::list<beast::tcp_stream*> open;
  bool stopping = false;
};

// Lists a connection in State::open for as long as its coroutine runs.
class OpenConnection {
 public:
  OpenConnection(std::shared_ptr<State> state, beast::tcp_stream& stream)
      : state_(std::move(state)), entry_(state_->open.insert(state_->open.end(), &stream)) {}
  ~OpenConnection() { state_->open.erase(entry_); }
  OpenConnection(const OpenConnection&) = delete;
  OpenConnection& operator=(const OpenConnection&) = delete;

 private:
  std::shared_ptr<State> state_;
  std::list<beast::tcp_stream*>::iterator entry_;
};

beast::tcp_stream& lowest(beast::tcp_stream& stream) {
  return stream;
}
beast::tcp_stream& lowest(beast::ssl_stream<beast::tcp_stream>& stream) {
  return stream.next_layer();
}

ServerResponse text_refusal(unsigned status, std::string why) {
  return {status, {{"Content-Type", "text/plain; charset=utf-8"}}, std::move(why) + "\n"};
}

// The refusal for a request that could not be read, or nullopt when there is
// no one left to answer (the client closed, went quiet, or the listener stops).
std::optional<ServerResponse> refusal_for(const State& state, const beast::error_code& ec) {
  const auto& options = state.options;
  const Refusal refuse = options.refuse ? options.refuse : Refusal(text_refusal);
  if (ec == http::error::header_limit)
    return refuse(431, "the request headers are larger than " +
                           std::to_string(options.header_limit) + " bytes");
  if (ec == http::error::body_limit)
    return refuse(
        413, "the request body is larger than " + std::to_string(options.body_limit) + " bytes");
  if (ec.category() == http::make_error_code(http::error::bad_method).category() &&
      ec != http::error::end_of_stream && ec != http::error::partial_message)
    return refuse(400, "the request is not HTTP/1.1: " + ec.message());
  return std::nullopt;
}

template <class Message>
void set_head(Message& message, const ServerResponse& response, bool keep_alive) {
  for (const auto& [name, value] : response.headers)
    message.insert(name, value);
  message.keep_alive(keep_alive);
}

template <class Stream>
class StreamResponder final : public Responder {
 public:
  StreamResponder(Stream& stream, const ServerRequest& request, bool keep_alive, Duration timeout)
      : stream_(stream),
        version_(request.version),
        keep_alive_(keep_alive),
        head_(request.head()),
        timeout_(timeout) {}

  bool answered() const { return answered_; }
  bool failed() const { return failed_; }

  asio::awaitable<bool> reply(ServerResponse response) override {
    answered_ = true;
    http::response<http::string_body> message(static_cast<http::status>(response.status), version_);
    set_head(message, response, keep_alive_);
    // A HEAD answer carries the length the GET body would have, and no body.
    message.content_length(response.body.size());
    if (!head_)
      message.body() = std::move(response.body);
    lowest(stream_).expires_after(timeout_);
    auto [ec, written] = co_await http::async_write(stream_, message, kAwait);
    co_return done(ec);
  }

  asio::awaitable<bool> start_chunks(ServerResponse head) override {
    answered_ = true;
    if (version_ < 11) {
      // HTTP/1.0 has no chunks: the body is gathered and sent whole.
      gathered_.emplace(std::move(head));
      co_return true;
    }
    http::response<http::empty_body> message(static_cast<http::status>(head.status), version_);
    set_head(message, head, keep_alive_);
    message.chunked(true);
    http::response_serializer<http::empty_body> serializer(message);
    lowest(stream_).expires_after(timeout_);
    auto [ec, written] = co_await http::async_write_header(stream_, serializer, kAwait);
    co_return done(ec);
  }

  asio::awaitable<bool> chunk(std::span<const std::string_view> parts) override {
    if (gathered_) {
      for (const auto part : parts)
        gathered_->body += part;
      co_return true;
    }
    buffers_.clear();
    for (const auto part : parts) {
      if (!part.empty())
        buffers_.push_back(asio::buffer(part));
    }
    if (head_ || buffers_.empty())
      co_return !failed_;
    lowest(stream_).expires_after(timeout_);
    auto [ec, written] = co_await asio::async_write(stream_, http::make_chunk(buffers_), kAwait);
    co_return done(ec);
  }

  asio::awaitable<bool> end_chunks() override {
    if (gathered_) {
      ServerResponse whole = std::move(*gathered_);
      gathered_.reset();
      co_return co_await reply(std::move(whole));
    }
    if (head_)
      co_return !failed_;
    lowest(stream_).expires_after(timeout_);
    auto [ec, written] = co_await asio::async_write(stream_, http::make_chunk_last(), kAwait);
    co_return done(ec);
  }

  void reset() override {
    answered_ = true;
    failed_ = true;
    beast::error_code ignored;
    // Lingering zero seconds makes close() send RST instead of FIN.
    lowest(stream_).socket().set_option(tcp::socket::linger(true, 0), ignored);
    lowest(stream_).close();
  }

 private:
  bool done(const beast::error_code& ec) {
    failed_ = failed_ || ec;
    return !failed_;
  }

  Stream& stream_;
  unsigned version_;
  bool keep_alive_;
  bool head_;
  Duration timeout_;
  bool answered_ = false;
  bool failed_ = false;
  std::optional<ServerResponse> gathered_;
  std::vector<asio::const_buffer> buffers_;
};

template <class Stream>
asio::awaitable<void> drain(Stream& stream, const HttpListenerOptions& options) {
  beast::error_code ignored;
  lowest(stream).socket().shutdown(tcp::socket::shutdown_send, ignored);
  lowest(stream).expires_after(options.drain_time);
  std::array<char, 4096> scratch;
  for (std::size_t total = 0; total < options.drain_bytes;) {
    auto [ec, n] = co_await lowest(stream).async_read_some(asio::buffer(scratch), kAwait);
    if (ec)
      break;
    total += n;
  }
}

ServerRequest request_of(http::request<http::string_body>& message) {
  ServerRequest request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  request.version = message.version();
  for (const auto& field : message)
    request.headers.push_back({std::string(field.name_string()), std::string(field.value())});
  request.body = std::move(message.body());
  return request;
}

// Runs the handler; false when it threw (logged) and the connection should end.
template <class Stream>
asio::awaitable<bool> handle(State& state, ServerRequest& request,
                             StreamResponder<Stream>& responder, bool& keep) {
  try {
    keep = co_await state.handler(request, responder);
    co_return true;
  } catch (const std::exception& e) {
    log::error("an HTTP handler failed", {{"target", request.target}, {"what", e.what()}});
  } catch (...) {
    log::error("an HTTP handler failed", {{"target", request.target}});
  }
  co_return false;
}

template <class Stream>
asio::awaitable<void> serve(const std::shared_ptr<State>& state, Stream& stream) {
  const HttpListenerOptions& options = state->options;
  beast::flat_buffer buffer;
  while (!state->stopping) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
    parser.body_limit(options.body_limit);
    lowest(stream).expires_after(options.idle_timeout);
    auto [ec, read] = co_await http::async_read_header(stream, buffer, parser, kAwait);
    if (!ec) {
      lowest(stream).expires_after(options.read_timeout);
      std::tie(ec, read) = co_await http::async_read(stream, buffer, parser, kAwait);
    }
    if (state->stopping)
      co_return;
    if (ec) {
      if (auto refusal = refusal_for(*state, ec)) {
        log::debug("unreadable HTTP request", {{"error", ec.message()}});
        const ServerRequest unread;
        StreamResponder<Stream> responder(stream, unread, false, options.write_timeout);
        if (co_await responder.reply(std::move(*refusal)))
          co_await drain(stream, options);
      }
      co_return;
    }
    const bool keep_alive = parser.get().keep_alive();
    ServerRequest request = request_of(parser.get());
    StreamResponder<Stream> responder(stream, request, keep_alive, options.write_timeout);
    bool keep = true;
    if (!co_await handle(*state, request, responder, keep) || responder.failed())
      co_return;
    if (!responder.answered() &&
        !co_await responder.reply(text_refusal(500, "the handler did not answer")))
      co_return;
    if (!keep_alive || !keep) {
      beast::error_code ignored;
      lowest(stream).socket().shutdown(tcp::socket::shutdown_send, ignored);
      co_return;
    }
  }
}

asio::awaitable<void> connection(std::shared_ptr<State> state, tcp::socket socket) {
  // Stopping is signalled by closing the stream (stop_all() below), which
  // fails the pending operation: no exception, no cancellation slot needed.
  co_await asio::this_coro::throw_if_cancelled(false);
  if (!state->tls) {
    beast::tcp_stream stream(std::move(socket));
    const OpenConnection registered(state, stream);
    co_await serve(state, stream);
    co_return;
  }
  beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), *state->tls);
  const OpenConnection registered(state, stream.next_layer());
  stream.next_layer().expires_after(state->options.idle_timeout);
  auto [ec] = co_await stream.async_handshake(ssl::stream_base::server, kAwait);
  if (!ec)
    co_await serve(state, stream);
}

std::string describe_bind_error(const beast::error_code& ec) {
  if (ec == asio::error::address_in_use)
    return "address in use";
  if (ec == asio::error::access_denied)
    return "permission denied (ports below 1024 need CAP_NET_BIND_SERVICE)";
  if (ec == boost::system::errc::address_not_available)
    return "no local interface has this address";
  return ec.message();
}

beast::error_code open_and_bind(tcp::acceptor& acceptor, const tcp::endpoint& endpoint) {
  beast::error_code ec;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec)
    acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  // An unspecified IPv6 address stands for every interface, IPv4 included.
  if (!ec && endpoint.address().is_v6() && endpoint.address().is_unspecified())
    acceptor.set_option(asio::ip::v6_only(false), ec);
  if (!ec)
    acceptor.bind(endpoint, ec);
  if (!ec)
    acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    beast::error_code ignored;
    acceptor.close(ignored);
  }
  return ec;
}

Status load_identity(ssl::context& context, const TlsIdentity& identity) {
  context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                      ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  beast::error_code ec;
  context.use_certificate_chain(asio::buffer(identity.certificate_pem), ec);
  if (ec)
    return Error(Errc::invalid_argument, "the TLS certificate does not load: " + ec.message());
  context.use_private_key(asio::buffer(identity.key_pem), ssl::context::pem, ec);
  // The key's bytes never go into a message.
  if (ec)
    return Error(Errc::invalid_argument,
                 "the TLS key does not load or does not match the certificate: " + ec.message());
  return {};
}

bool cancelled(const asio::cancellation_state& state) {
  return state.cancelled() != asio::cancellation_type::none;
}

}  // namespace

Result<ListenAddress> parse_listen_address(std::string_view address) {
  // Go's net.SplitHostPort, which cert-manager's address flags go through.
  std::string_view host;
  std::string_view port;
  if (!address.empty() && address.front() == '[') {
    const auto close = address.find(']');
    if (close == std::string_view::npos)
      return Error(Errc::invalid_argument, "missing ']' in address");
    host = address.substr(1, close - 1);
    const std::string_view rest = address.substr(close + 1);
    if (rest.empty() || rest.front() != ':')
      return Error(Errc::invalid_argument, "missing port in address");
    port = rest.substr(1);
  } else {
    const auto colon = address.rfind(':');
    if (colon == std::string_view::npos)
      return Error(Errc::invalid_argument, "missing port in address");
    host = address.substr(0, colon);
    if (host.find(':') != std::string_view::npos)
      return Error(Errc::invalid_argument, "too many colons in address (bracket an IPv6 host)");
    port = address.substr(colon + 1);
  }
  if (port.empty())
    return Error(Errc::invalid_argument, "missing port in address");
  unsigned value = 0;
  for (const char c : port) {
    if (c < '0' || c > '9' || (value = value * 10 + unsigned(c - '0')) > 65535)
      return Error(Errc::invalid_argument, "port \"" + std::string(port) + "\" is not 0-65535");
  }
  if (!host.empty() && host != "localhost") {
    beast::error_code ec;
    asio::ip::make_address(host, ec);
    if (ec) {
      return Error(Errc::invalid_argument,
                   "host \"" + std::string(host) + "\" is not an IP address or localhost");
    }
  }
  return ListenAddress{std::string(host), static_cast<unsigned short>(value)};
}

struct HttpListener::Impl {
  Impl(const asio::any_io_executor& ex, HttpListenerOptions options, ServerHandler handler)
      : executor(ex),
        acceptor(ex),
        state(std::make_shared<State>(std::move(options), std::move(handler))) {}

  asio::any_io_executor executor;
  tcp::acceptor acceptor;
  unsigned short port = 0;
  std::shared_ptr<State> state;
};

HttpListener::HttpListener(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpListener::~HttpListener() = default;

Result<std::unique_ptr<HttpListener>> HttpListener::listen(const asio::any_io_executor& executor,
                                                           std::string_view address,
                                                           HttpListenerOptions options,
                                                           ServerHandler handler) {
  const std::string flag = options.flag;
  const auto fail = [&](std::error_code code, std::string where, std::string why,
                        std::string hint) {
    std::string message = "cannot listen on " + std::move(where) + ": " + std::move(why);
    if (!flag.empty())
      message += "; pass " + flag + std::move(hint);
    return Error(code, std::move(message));
  };
  auto parsed = parse_listen_address(address);
  if (!parsed) {
    return fail(make_error_code(Errc::invalid_argument), "\"" + std::string(address) + "\"",
                parsed.error().message(),
                " as host:port, such as 0.0.0.0:9402 (:9402: every interface)");
  }
  auto impl = std::make_unique<Impl>(executor, std::move(options), std::move(handler));
  if (const auto& identity = impl->state->options.tls) {
    auto& context = impl->state->tls.emplace(ssl::context::tls_server);
    if (Status loaded = load_identity(context, *identity); !loaded)
      return loaded.error();
  }
  beast::error_code ec;
  if (parsed->host.empty()) {
    // Go listens on every address of both families for an empty host: one
    // IPv6 socket that takes IPv4 too, or IPv4 alone where IPv6 is off.
    ec = open_and_bind(impl->acceptor, tcp::endpoint(tcp::v6(), parsed->port));
    if (ec && ec != asio::error::address_in_use && ec != asio::error::access_denied)
      ec = open_and_bind(impl->acceptor, tcp::endpoint(tcp::v4(), parsed->port));
  } else {
    const auto ip = parsed->host == "localhost" ? asio::ip::address_v4::loopback()
                                                : asio::ip::make_address(parsed->host);
    ec = open_and_bind(impl->acceptor, tcp::endpoint(ip, parsed->port));
  }
  if (ec) {
    return fail(std::error_code(ec.value(), std::system_category()), std::string(address),
                describe_bind_error(ec), " to choose another");
  }
  impl->port = impl->acceptor.local_endpoint().port();
  return std::unique_ptr<HttpListener>(new HttpListener(std::move(impl)));
}

unsigned short HttpListener::port() const {
  return impl_->port;
}

void HttpListener::stop() {
  impl_->state->stopping = true;
  beast::error_code ignored;
  impl_->acceptor.close(ignored);
}

asio::awaitable<void> HttpListener::run() {
  // Cancellation ends the loop below, not with an exception, so that the
  // connections are closed and awaited.
  co_await asio::this_coro::throw_if_cancelled(false);
  Impl& impl = *impl_;
  // A second run() would find the listening socket closed by the first.
  if (!impl.acceptor.is_open())
    co_return;
  const std::shared_ptr<State> state = impl.state;
  TaskGroup connections(impl.executor);
  asio::steady_timer pause(impl.executor);
  for (;;) {
    auto [ec, socket] = co_await impl.acceptor.async_accept(kAwait);
    if (state->stopping || cancelled(co_await asio::this_coro::cancellation_state))
      break;
    if (ec) {
      log::warn("accepting an HTTP connection failed", {{"error", ec.message()}});
      pause.expires_after(kAcceptPause);
      co_await pause.async_wait(kAwait);
      if (state->stopping || cancelled(co_await asio::this_coro::cancellation_state))
        break;
      continue;
    }
    beast::error_code ignored;
    if (connections.size() >= state->options.max_connections) {
      socket.close(ignored);
      continue;
    }
    socket.set_option(tcp::no_delay(true), ignored);
    connections.spawn([state, s = std::make_shared<tcp::socket>(std::move(socket))] {
      return connection(state, std::move(*s));
    });
  }
  // Nothing served here is worth finishing at shutdown: refuse new
  // connections, close the open ones, and wait until their coroutines ended.
  beast::error_code ignored;
  impl.acceptor.close(ignored);
  state->stopping = true;
  connections.close();
  for (beast::tcp_stream* stream : state->open)
    stream->close();
  co_await asio::this_coro::reset_cancellation_state();
  co_await connections.wait_empty();
}

}  // namespace certmill::reactor
