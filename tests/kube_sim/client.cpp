// Test HTTPS client on Beast, driven synchronously by running an io_context
// until each operation completes or its deadline passes.
#include "tests/kube_sim/client.hpp"

#include <stdexcept>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace certmill::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Stream = beast::ssl_stream<beast::tcp_stream>;

namespace {

constexpr auto use = asio::as_tuple(asio::use_awaitable);

std::string lower(std::string s) {
  for (auto& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

http::request<http::string_body> make_request(const HttpRequest& r) {
  http::request<http::string_body> req{http::string_to_verb(r.method), r.target, 11};
  req.set(http::field::host, "127.0.0.1");
  req.set(http::field::user_agent, r.user_agent);
  if (!r.accept.empty())
    req.set(http::field::accept, r.accept);
  if (!r.token.empty())
    req.set(http::field::authorization, "Bearer " + r.token);
  if (!r.content_type.empty())
    req.set(http::field::content_type, r.content_type);
  for (const auto& [name, value] : r.headers)
    req.insert(name, value);
  req.body() = r.body;
  req.prepare_payload();
  return req;
}

// Runs `op` on `io` to completion; false if it did not finish in `bound`.
// The flag is shared because a timed-out operation completes later, during
// another run, after this frame is gone.
template <class Op>
bool run(asio::io_context& io, Op op, std::chrono::milliseconds bound) {
  auto done = std::make_shared<bool>(false);
  io.restart();
  asio::co_spawn(io, std::move(op), [done](std::exception_ptr e) {
    *done = true;
    if (e)
      std::rethrow_exception(e);
  });
  io.run_for(bound);
  return *done;
}

}  // namespace

std::string HttpResponse::header(const std::string& name) const {
  for (const auto& [k, v] : headers)
    if (k == name)
      return v;
  return "";
}

std::vector<std::string> HttpResponse::all(const std::string& name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : headers)
    if (k == name)
      out.push_back(v);
  return out;
}

HttpResponse send(unsigned short port, const HttpRequest& request, std::chrono::seconds bound) {
  asio::io_context io;
  asio::ssl::context tls(asio::ssl::context::tls_client);
  tls.set_verify_mode(asio::ssl::verify_none);
  HttpResponse out;
  std::string error;
  auto op = [&]() -> asio::awaitable<void> {
    Stream stream(io, tls);
    auto& tcp_layer = beast::get_lowest_layer(stream);
    tcp_layer.expires_after(bound);
    auto [cec] = co_await tcp_layer.async_connect(
        tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), use);
    if (cec) {
      error = "connect: " + cec.message();
      co_return;
    }
    auto [hec] = co_await stream.async_handshake(asio::ssl::stream_base::client, use);
    if (hec) {
      error = "TLS handshake: " + hec.message();
      co_return;
    }
    auto req = make_request(request);
    auto [wec, wn] = co_await http::async_write(stream, req, use);
    (void)wn;
    if (wec) {
      error = "write: " + wec.message();
      co_return;
    }
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    auto [rec, rn] = co_await http::async_read(stream, buffer, parser, use);
    (void)rn;
    if (rec) {
      error = "read: " + rec.message();
      co_return;
    }
    auto& res = parser.get();
    out.status = res.result_int();
    for (const auto& f : res)
      out.headers.emplace_back(lower(std::string(f.name_string())), std::string(f.value()));
    out.body = std::move(res.body());
  };
  if (!run(io, op,
           std::chrono::duration_cast<std::chrono::milliseconds>(bound) + std::chrono::seconds(1)))
    throw std::runtime_error("request " + request.method + " " + request.target + " timed out");
  if (!error.empty())
    throw std::runtime_error("request " + request.method + " " + request.target + ": " + error);
  return out;
}

struct LineStream::Impl {
  asio::io_context io;
  asio::ssl::context tls{asio::ssl::context::tls_client};
  std::unique_ptr<Stream> stream;
  beast::flat_buffer buffer;
  http::response_parser<http::buffer_body> parser;
  std::string pending;  // body bytes not yet returned as lines
  int status = 0;
  bool ended = false;
  bool got = false;  // the last read returned body bytes
  char chunk[16384];
};

LineStream::LineStream(unsigned short port, const HttpRequest& request)
    : impl_(std::make_unique<Impl>()) {
  auto& d = *impl_;
  d.tls.set_verify_mode(asio::ssl::verify_none);
  d.stream = std::make_unique<Stream>(d.io, d.tls);
  std::string error;
  auto op = [&]() -> asio::awaitable<void> {
    auto& tcp_layer = beast::get_lowest_layer(*d.stream);
    tcp_layer.expires_after(std::chrono::seconds(20));
    auto [cec] = co_await tcp_layer.async_connect(
        tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), use);
    if (cec) {
      error = "connect: " + cec.message();
      co_return;
    }
    auto [hec] = co_await d.stream->async_handshake(asio::ssl::stream_base::client, use);
    if (hec) {
      error = "TLS handshake: " + hec.message();
      co_return;
    }
    auto req = make_request(request);
    auto [wec, wn] = co_await http::async_write(*d.stream, req, use);
    (void)wn;
    if (wec) {
      error = "write: " + wec.message();
      co_return;
    }
    d.parser.body_limit(boost::none);
    auto [rec, rn] = co_await http::async_read_header(*d.stream, d.buffer, d.parser, use);
    (void)rn;
    if (rec) {
      error = "read header: " + rec.message();
      co_return;
    }
    d.status = d.parser.get().result_int();
    tcp_layer.expires_never();
  };
  if (!run(d.io, op, std::chrono::seconds(21)))
    throw std::runtime_error("watch " + request.target + " timed out");
  if (!error.empty())
    throw std::runtime_error("watch " + request.target + ": " + error);
}

LineStream::LineStream(LineStream&&) noexcept = default;
LineStream& LineStream::operator=(LineStream&&) noexcept = default;
LineStream::~LineStream() = default;

int LineStream::status() const {
  return impl_->status;
}

bool LineStream::ended() const {
  return impl_->ended;
}

std::optional<std::string> LineStream::next(std::chrono::milliseconds bound) {
  auto& d = *impl_;
  const auto give_up = std::chrono::steady_clock::now() + bound;
  while (true) {
    auto nl = d.pending.find('\n');
    if (nl != std::string::npos) {
      std::string line = d.pending.substr(0, nl);
      d.pending.erase(0, nl + 1);
      return line;
    }
    if (d.ended)
      return std::nullopt;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        give_up - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      return std::nullopt;
    d.got = false;
    auto op = [&]() -> asio::awaitable<void> {
      if (d.parser.is_done()) {
        d.ended = true;
        co_return;
      }
      d.parser.get().body().data = d.chunk;
      d.parser.get().body().size = sizeof d.chunk;
      auto [ec, n] = co_await http::async_read_some(*d.stream, d.buffer, d.parser, use);
      (void)n;
      if (ec == http::error::need_buffer)
        ec = {};
      if (ec == asio::error::operation_aborted)
        co_return;
      if (ec) {
        d.ended = true;
        co_return;
      }
      const std::size_t used = sizeof d.chunk - d.parser.get().body().size;
      d.pending.append(d.chunk, used);
      d.got = true;
      if (d.parser.is_done())
        d.ended = true;
    };
    if (!run(d.io, op, left)) {
      // Deadline passed mid-read: cancel and let the cancelled read finish.
      beast::get_lowest_layer(*d.stream).cancel();
      d.io.restart();
      d.io.run_for(std::chrono::seconds(1));
      if (!d.got)
        return std::nullopt;
      continue;
    }
  }
}

}  // namespace certmill::test
