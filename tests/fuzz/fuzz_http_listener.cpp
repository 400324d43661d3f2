// Fuzzer: the bytes a client sends to certmill's own listeners — the
// metrics and probes (HttpEndpoints) and the ACME HTTP-01 answers
// (Http01Responder) — over a real loopback connection to the real servers,
// which run in this process as the controller runs them. Whatever arrives
// (a broken request line, huge or folded headers, a chunked body that lies,
// pipelined requests, a path with "..", NULs), the server answers with a
// well-formed HTTP status line or closes, never crashes or hangs, and
// keeps serving: every hundredth input is followed by a request that must be
// answered as before.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <sys/socket.h>
#include <sys/time.h>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include "controller/http_endpoints.hpp"
#include "solvers/http01/responder.hpp"

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace certmill;

namespace {

constexpr std::string_view kToken = "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0";
constexpr std::string_view kAnswer =
    "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0.9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI";

// Fails the run, saying what broke: libFuzzer keeps the input that did it.
void require(bool ok, const char* what, std::string_view seen = {}) {
  if (ok)
    return;
  std::fprintf(stderr, "fuzz_http_listener: %s\n%.*s\n", what, static_cast<int>(seen.size()),
               seen.data());
  std::abort();
}

// The two listeners on one thread of their own, for the whole run.
struct Servers {
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
  std::unique_ptr<controller::HttpEndpoints> endpoints;
  std::unique_ptr<reactor::HttpServer> http01;
  solvers::Http01Responder responder;
  std::thread thread;

  Servers() {
    reactor::HttpServerOptions options;
    // A fuzzer's half-sent request must not hold its connection for long.
    options.read_timeout = std::chrono::seconds(2);
    auto metrics = controller::HttpEndpoints::listen(io.get_executor(), "127.0.0.1:0", options);
    require(metrics.ok(), "the metrics listener cannot start");
    endpoints = std::move(*metrics);
    endpoints->handle_metrics("/metrics", [] {
      return [n = 0](std::string& out) mutable {
        out.assign("certmanager_clock_time_seconds_gauge 1.7e+09\n");
        return ++n < 3;
      };
    });
    endpoints->handle_health([] { return std::nullopt; },
                             [] { return std::optional<std::string>("not leading"); });
    options.flag = "--http01-listen-address";
    auto challenges = reactor::HttpServer::listen(io.get_executor(), "127.0.0.1:0", options);
    require(challenges.ok(), "the HTTP-01 listener cannot start");
    http01 = std::move(*challenges);
    require(responder.present(std::string(kToken), std::string(kAnswer)), "a token is refused");
    responder.attach(*http01);
    asio::co_spawn(io, endpoints->run(), asio::detached);
    asio::co_spawn(io, http01->run(), asio::detached);
    thread = std::thread([this] { io.run(); });
  }
};

Servers& servers() {
  static Servers* s = new Servers();  // lives as long as the process
  return *s;
}

// Sends `bytes`, ends the sending side, and reads whatever comes back until
// the server closes (a bounded wait: a hang is a failure). `ended`, when
// given, says how the read ended (end of file, a reset).
std::string exchange(unsigned short port, std::string_view bytes,
                     boost::system::error_code* ended = nullptr) {
  asio::io_context io;
  tcp::socket socket(io);
  boost::system::error_code ec;
  // Thousands of connections a second: a moment's wait when the kernel is
  // short of ports, never a failure of the server's.
  for (int attempt = 0; attempt < 200; ++attempt) {
    socket.connect({asio::ip::address_v4::loopback(), port}, ec);
    if (!ec)
      break;
    socket.close();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  require(!ec, "cannot connect", ec.message());
  // Closed with a reset, so the client's side leaves no TIME_WAIT behind to
  // use up the ephemeral ports.
  socket.set_option(asio::socket_base::linger(true, 0), ec);
  const timeval wait{10, 0};
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
  // The server may close before taking everything: that is its answer.
  // libFuzzer's SIGALRM (its -timeout watch) interrupts a blocking call,
  // which asio reports rather than restarts: the call is made again. (Read
  // as the end, it failed the one-hour run twice with "no answer".)
  for (std::size_t sent = 0; sent < bytes.size();) {
    sent += asio::write(socket, asio::buffer(bytes.data() + sent, bytes.size() - sent), ec);
    if (ec != asio::error::interrupted)
      break;
  }
  socket.shutdown(tcp::socket::shutdown_send, ec);
  std::string answer;
  char chunk[4096];
  for (;;) {
    const std::size_t n = socket.read_some(asio::buffer(chunk), ec);
    answer.append(chunk, n);
    if (ec == asio::error::interrupted)
      continue;
    require(ec != asio::error::would_block && ec != asio::error::try_again,
            "ten seconds without a byte or a close: a hang", answer);
    if (ec)
      break;
  }
  if (ended)
    *ended = ec;
  return answer;
}

bool well_formed(std::string_view answer) {
  if (answer.empty())
    return true;  // closed without a word (a reset, a TLS-looking start)
  // An HTTP/1.0 request is answered in its version.
  if (answer.size() < 12 || !(answer.starts_with("HTTP/1.1 ") || answer.starts_with("HTTP/1.0 ")))
    return false;
  for (std::size_t i = 9; i < 12; ++i)
    if (answer[i] < '0' || answer[i] > '9')
      return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static unsigned inputs = 0;
  Servers& s = servers();
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // The first byte picks the listener; the rest is what the client sends.
  const bool http01 = !bytes.empty() && (bytes.front() & 1);
  if (!bytes.empty())
    bytes.remove_prefix(1);
  const unsigned short port = http01 ? s.http01->port() : s.endpoints->port();
  const std::string answer = exchange(port, bytes);
  require(well_formed(answer), "an answer without an HTTP status line", answer);
  if (++inputs % 100 == 0) {
    boost::system::error_code ended;
    const std::string challenge =
        exchange(s.http01->port(),
                 "GET /.well-known/acme-challenge/" + std::string(kToken) +
                     " HTTP/1.1\r\nHost: a.example\r\nConnection: close\r\n\r\n",
                 &ended);
    // How the read ended tells a reset (the server closed on a request it had
    // not read) from an answer cut short.
    require(challenge.starts_with("HTTP/1.1 200") && challenge.ends_with(kAnswer),
            "the challenge is no longer answered",
            challenge.empty() ? "(no answer; the read ended: " + ended.message() + ")" : challenge);
    const std::string health =
        exchange(s.endpoints->port(), "GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n");
    require(health.starts_with("HTTP/1.1 200"), "/healthz is no longer answered", health);
  }
  return 0;
}
