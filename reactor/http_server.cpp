// The HTTP server over Beast: accept loop, one coroutine per connection,
// routing, and the answers to requests that cannot be read.
#include "reactor/http_server.hpp"

#include <array>
#include <list>
#include <map>
#include <optional>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "core/log.hpp"
#include "reactor/task_group.hpp"

namespace certmill::reactor {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
// After an error answer the client may still be sending: reading what is left
// (bounded) before closing keeps the kernel from resetting the connection
// under the answer.
constexpr auto kDrainTime = std::chrono::seconds(1);
constexpr std::size_t kDrainBytes = 1u << 20;
// Accepting fails at once and repeatedly when the process is out of file
// descriptors: pause rather than spin.
constexpr auto kAcceptPause = std::chrono::milliseconds(100);

// What the connections share with the listener. They hold it by shared_ptr,
// so it outlives every coroutine frame, even frames an io_context destroys
// unfinished after the HttpServer is gone.
struct State {
  explicit State(HttpServerOptions o) : options(std::move(o)) {}
  HttpServerOptions options;
  std::map<std::string, HttpHandler, std::less<>> routes;
  std::map<std::string, HttpHandler, std::less<>> prefixes;
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

HttpReply plain(http::status status, std::string body) {
  return HttpReply{static_cast<unsigned>(status), "text/plain; charset=utf-8", std::move(body)};
}

const HttpHandler* find_handler(const State& state, std::string_view path) {
  if (const auto exact = state.routes.find(path); exact != state.routes.end())
    return &exact->second;
  const HttpHandler* best = nullptr;
  std::size_t best_length = 0;
  for (const auto& [prefix, handler] : state.prefixes) {
    if (path.starts_with(prefix) && prefix.size() >= best_length) {
      best = &handler;
      best_length = prefix.size();
    }
  }
  return best;
}

HttpReply route(State& state, const http::request<http::string_body>& request) {
  std::string_view path = request.target();
  path = path.substr(0, path.find('?'));
  const HttpHandler* handler = find_handler(state, path);
  if (!handler)
    return plain(http::status::not_found, "404 page not found\n");
  if (request.method() != http::verb::get && request.method() != http::verb::head)
    return plain(http::status::method_not_allowed, "method not allowed\n");
  try {
    return (*handler)(path);
  } catch (const std::exception& e) {
    log::error("an HTTP endpoint failed", {{"path", path}, {"what", e.what()}});
  } catch (...) {
    log::error("an HTTP endpoint failed", {{"path", path}});
  }
  return plain(http::status::internal_server_error, "internal error\n");
}

// The answer to a request that could not be read, or nullopt when there is no
// one left to answer (the client closed, went quiet, or the listener stops).
std::optional<HttpReply> read_failure(const beast::error_code& ec) {
  if (ec == http::error::header_limit)
    return plain(http::status::request_header_fields_too_large, "request headers too large\n");
  if (ec == http::error::body_limit)
    return plain(http::status::payload_too_large, "request body too large\n");
  if (ec.category() == http::make_error_code(http::error::bad_method).category() &&
      ec != http::error::end_of_stream && ec != http::error::partial_message) {
    return plain(http::status::bad_request, "malformed request: " + ec.message() + "\n");
  }
  return std::nullopt;
}

template <class Body>
http::response<Body> head_of(const HttpReply& reply, unsigned version, bool keep_alive) {
  const auto status = static_cast<http::status>(reply.status);
  http::response<Body> response(status, version);
  response.set(http::field::content_type, reply.content_type);
  // As Go's servers do: the body is what the content type says, nothing else.
  response.set("X-Content-Type-Options", "nosniff");
  if (status == http::status::method_not_allowed)
    response.set(http::field::allow, "GET, HEAD");
  response.keep_alive(keep_alive);
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
// that stops reading holds one chunk, not the whole body. A HEAD answer ends
// after the header.
asio::awaitable<bool> write_chunked(beast::tcp_stream& stream, const HttpReply& reply,
                                    bool keep_alive, bool head, Duration timeout) {
  auto response = head_of<http::empty_body>(reply, 11, keep_alive);
  response.chunked(true);
  http::response_serializer<http::empty_body> serializer(response);
  stream.expires_after(timeout);
  if (auto [ec, n] = co_await http::async_write_header(stream, serializer, kAwait); ec)
    co_return false;
  if (head)
    co_return true;
  std::string part;
  for (bool more = true; more;) {
    const auto next = next_part(reply, part);
    // Without the last chunk the client sees the body cut short, not a
    // complete answer that lacks what the source did not make.
    if (!next)
      co_return false;
    more = *next;
    if (part.empty())
      continue;
    stream.expires_after(timeout);
    if (auto [ec, n] =
            co_await asio::async_write(stream, http::make_chunk(asio::buffer(part)), kAwait);
        ec) {
      co_return false;
    }
  }
  stream.expires_after(timeout);
  auto [ec, n] = co_await asio::async_write(stream, http::make_chunk_last(), kAwait);
  co_return !ec;
}

asio::awaitable<bool> write(beast::tcp_stream& stream, HttpReply reply, unsigned version,
                            bool keep_alive, bool head, Duration timeout) {
  if (reply.source) {
    if (version >= 11)
      co_return co_await write_chunked(stream, reply, keep_alive, head, timeout);
    // HTTP/1.0 has no chunks: the body is made whole first.
    std::string part;
    for (bool more = true; more;) {
      const auto next = next_part(reply, part);
      if (!next) {
        reply = plain(http::status::internal_server_error, "internal error\n");
        break;
      }
      more = *next;
      reply.body += part;
    }
  }
  auto response = head_of<http::string_body>(reply, version, keep_alive);
  // A HEAD answer carries the length the GET body would have, and no body.
  response.content_length(reply.body.size());
  if (!head)
    response.body() = std::move(reply.body);
  stream.expires_after(timeout);
  auto [ec, written] = co_await http::async_write(stream, response, kAwait);
  co_return !ec;
}

asio::awaitable<void> drain(beast::tcp_stream& stream) {
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream.expires_after(kDrainTime);
  std::array<char, 4096> scratch;
  for (std::size_t total = 0; total < kDrainBytes;) {
    auto [ec, n] = co_await stream.async_read_some(asio::buffer(scratch), kAwait);
    if (ec)
      break;
    total += n;
  }
}

asio::awaitable<void> serve(std::shared_ptr<State> state, tcp::socket socket) {
  // Stopping is signalled by closing the stream (run() below), which fails
  // the pending operation: no exception, no cancellation slot needed.
  co_await asio::this_coro::throw_if_cancelled(false);
  beast::tcp_stream stream(std::move(socket));
  const OpenConnection registered(state, stream);
  const HttpServerOptions& options = state->options;
  beast::flat_buffer buffer;
  while (!state->stopping) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(options.max_request_bytes));
    parser.body_limit(options.max_request_bytes);
    // Covers the idle wait before the request as well as its bytes: a
    // keep-alive connection that stays silent is closed too.
    stream.expires_after(options.read_timeout);
    auto [ec, read] = co_await http::async_read(stream, buffer, parser, kAwait);
    if (state->stopping)
      co_return;
    if (ec) {
      if (auto reply = read_failure(ec)) {
        log::debug("unreadable HTTP request", {{"error", ec.message()}});
        if (co_await write(stream, std::move(*reply), 11, false, false, options.write_timeout))
          co_await drain(stream);
      }
      co_return;
    }
    const auto& request = parser.get();
    const bool keep_alive = request.keep_alive();
    if (!co_await write(stream, route(*state, request), request.version(), keep_alive,
                        request.method() == http::verb::head, options.write_timeout)) {
      co_return;
    }
    if (!keep_alive) {
      beast::error_code ignored;
      stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
      co_return;
    }
  }
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

struct HttpServer::Impl {
  Impl(const asio::any_io_executor& ex, HttpServerOptions options)
      : executor(ex), acceptor(ex), state(std::make_shared<State>(std::move(options))) {}

  asio::any_io_executor executor;
  tcp::acceptor acceptor;
  unsigned short port = 0;
  std::shared_ptr<State> state;
};

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpServer::~HttpServer() = default;

Result<std::unique_ptr<HttpServer>> HttpServer::listen(const asio::any_io_executor& executor,
                                                       std::string_view address,
                                                       HttpServerOptions options) {
  const std::string flag = options.flag;
  auto parsed = parse_listen_address(address);
  if (!parsed) {
    std::string message =
        "cannot listen on \"" + std::string(address) + "\": " + parsed.error().message();
    if (!flag.empty())
      message += "; pass " + flag + " as host:port, such as 0.0.0.0:9402 (:9402: every interface)";
    return Error(Errc::invalid_argument, std::move(message));
  }
  auto impl = std::make_unique<Impl>(executor, std::move(options));
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
    std::string message =
        "cannot listen on " + std::string(address) + ": " + describe_bind_error(ec);
    if (!flag.empty())
      message += "; pass " + flag + " to choose another";
    return Error(std::error_code(ec.value(), std::system_category()), std::move(message));
  }
  impl->port = impl->acceptor.local_endpoint().port();
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

unsigned short HttpServer::port() const {
  return impl_->port;
}

void HttpServer::route(std::string path, HttpHandler handler) {
  impl_->state->routes[std::move(path)] = std::move(handler);
}

void HttpServer::route_prefix(std::string prefix, HttpHandler handler) {
  impl_->state->prefixes[std::move(prefix)] = std::move(handler);
}

asio::awaitable<void> HttpServer::run() {
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
    if (cancelled(co_await asio::this_coro::cancellation_state))
      break;
    if (ec) {
      log::warn("accepting an HTTP connection failed", {{"error", ec.message()}});
      pause.expires_after(kAcceptPause);
      co_await pause.async_wait(kAwait);
      if (cancelled(co_await asio::this_coro::cancellation_state))
        break;
      continue;
    }
    if (connections.size() >= state->options.max_connections) {
      beast::error_code ignored;
      socket.close(ignored);
      continue;
    }
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    connections.spawn([state, s = std::make_shared<tcp::socket>(std::move(socket))] {
      return serve(state, std::move(*s));
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
