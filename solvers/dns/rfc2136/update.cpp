// The exchange with the nameserver: a connected UDP socket (it only hears
// from the server, and ignores datagrams whose ID is not ours) or a TCP
// connection with RFC 1035 §4.2.2's length prefix. Each step races a timer
// set to the deadline, and cancellation of the caller reaches the socket.
#include "solvers/dns/rfc2136/update.hpp"

#include <array>
#include <tuple>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <openssl/rand.h>

#include "solvers/dns/rfc2136/answer.hpp"

namespace certmill::solvers::rfc2136 {
namespace {

using Clock = std::chrono::steady_clock;
using Step = std::tuple<boost::system::error_code, std::size_t>;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// Runs one socket operation until it ends, the deadline passes or the caller
// is cancelled.
asio::awaitable<Result<std::size_t>> before(Clock::time_point deadline, asio::awaitable<Step> step,
                                            const std::string& what) {
  using namespace asio::experimental::awaitable_operators;
  asio::steady_timer timer(co_await asio::this_coro::executor, deadline);
  auto ended = co_await (std::move(step) || timer.async_wait(kTuple));
  if ((co_await asio::this_coro::cancellation_state).cancelled() != asio::cancellation_type::none)
    co_return Error(std::make_error_code(std::errc::operation_canceled), "cancelled " + what);
  if (ended.index() == 1)
    co_return Error(std::make_error_code(std::errc::timed_out), "no answer in time " + what);
  const auto [ec, size] = std::get<0>(ended);
  if (ec)
    co_return Error(ec, what + ": " + ec.message());
  co_return size;
}

asio::awaitable<Step> connect(asio::ip::tcp::socket& socket, asio::ip::tcp::endpoint endpoint) {
  auto [ec] = co_await socket.async_connect(endpoint, kTuple);
  co_return Step{ec, 0};
}

asio::awaitable<Result<Bytes>> over_udp(asio::any_io_executor executor,
                                        asio::ip::udp::endpoint server, const Bytes& request,
                                        std::uint16_t id, Clock::time_point deadline) {
  asio::ip::udp::socket socket(executor, server.protocol());
  boost::system::error_code ec;
  socket.connect(server, ec);  // no packet is sent: it only fixes the peer
  if (ec)
    co_return Error(ec, "over UDP: " + ec.message());
  if (auto sent = co_await before(deadline, socket.async_send(asio::buffer(request), kTuple),
                                  "sending over UDP");
      !sent)
    co_return sent.error();
  Bytes answer(65535);
  while (true) {
    auto got = co_await before(deadline, socket.async_receive(asio::buffer(answer), kTuple),
                               "waiting for the answer over UDP");
    if (!got)
      co_return got.error();
    // A late answer to an earlier request is not ours: keep waiting.
    if (*got < 2 || ((answer[0] << 8) | answer[1]) != id)
      continue;
    answer.resize(*got);
    co_return answer;
  }
}

asio::awaitable<Result<Bytes>> over_tcp(asio::any_io_executor executor,
                                        asio::ip::tcp::endpoint server, const Bytes& request,
                                        Clock::time_point deadline) {
  asio::ip::tcp::socket socket(executor);
  if (auto up = co_await before(deadline, connect(socket, server), "connecting over TCP"); !up)
    co_return up.error();
  Bytes framed;
  put_u16(framed, static_cast<std::uint16_t>(request.size()));
  framed.insert(framed.end(), request.begin(), request.end());
  if (auto sent = co_await before(deadline, asio::async_write(socket, asio::buffer(framed), kTuple),
                                  "sending over TCP");
      !sent)
    co_return sent.error();
  std::array<std::uint8_t, 2> length{};
  if (auto got = co_await before(deadline, asio::async_read(socket, asio::buffer(length), kTuple),
                                 "waiting for the answer over TCP");
      !got)
    co_return got.error();
  Bytes answer(static_cast<std::size_t>((length[0] << 8) | length[1]));
  if (auto got = co_await before(deadline, asio::async_read(socket, asio::buffer(answer), kTuple),
                                 "reading the answer over TCP");
      !got)
    co_return got.error();
  co_return answer;
}

std::uint64_t unix_now() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

}  // namespace

asio::awaitable<Status> rfc2136_update(asio::any_io_executor executor, Settings settings,
                                       std::string zone, std::string record_name,
                                       std::string txt_value, Change change,
                                       Clock::time_point deadline) {
  auto server = parse_settings(settings);
  if (!server)
    co_return server.error();
  const std::string where =
      " (nameserver " + format_nameservers({server->nameserver}) + ", zone " + zone + ")";
  const auto failed = [&](const Error& error) {
    return Error(error.code(), error.message() + where);
  };

  // A random ID: an off-path attacker must guess it to forge an answer.
  std::uint16_t id = 0;
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&id), sizeof id) != 1)
    co_return failed(Error(Errc::invalid_argument, "DNS update failed: no random ID"));
  auto message = encode_update(id, {zone, record_name, txt_value, change});
  if (!message)
    co_return failed(
        Error(message.error().code(), "DNS update failed: " + message.error().message()));
  SentRequest sent{id, server->key, {}};
  if (server->key) {
    auto mac = sign_request(*message, *server->key, unix_now());
    if (!mac)
      co_return failed(mac.error());
    sent.mac = std::move(*mac);
  }

  boost::system::error_code ec;
  const auto address = asio::ip::make_address(server->nameserver.address, ec);
  if (ec)
    co_return failed(Error(ec, "DNS update failed: bad nameserver address"));
  const unsigned short port = server->nameserver.port;
  Result<Bytes> answer = Bytes();
  if (server->protocol == Protocol::udp) {
    answer = co_await over_udp(executor, {address, port}, *message, id, deadline);
    if (answer && answer_truncated(*answer, id))
      answer = co_await over_tcp(executor, {address, port}, *message, deadline);
  } else {
    answer = co_await over_tcp(executor, {address, port}, *message, deadline);
  }
  if (!answer)
    co_return failed(
        Error(answer.error().code(), "DNS update failed: " + answer.error().message()));
  if (Status checked = check_answer(*answer, sent, unix_now()); !checked)
    co_return failed(checked.error());
  co_return Status();
}

}  // namespace certmill::solvers::rfc2136
