// One c-ares channel driven by Asio on one executor (a shard): any number of
// requests share it, each awaited by its own coroutine with a deadline and
// cancellation, and none blocks a thread. c-ares keeps one UDP socket (and a
// TCP one when an answer came back truncated) per server it talks to, not
// one per request, so a request in flight costs a small record and its
// coroutine frame. At most max_in_flight questions are on the wire at once,
// the rest queued in order, so a burst does not overflow the server. Used by the HTTP-01
// self-check's address lookups and the DNS-01 propagation check. Create, use and destroy it on its
// executor.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address.hpp>

#include "core/result.hpp"
#include "solvers/dns/nameservers.hpp"

namespace certmill::solvers {

namespace asio = boost::asio;

struct AresChannelOptions {
  std::vector<Nameserver> servers = {};  // empty: the system's resolver configuration
  std::chrono::milliseconds try_timeout = std::chrono::milliseconds(2000);
  int tries = 2;
  // Hand SERVFAIL, REFUSED and NOTIMP answers to send()'s caller rather
  // than try the next server.
  bool answers_as_they_are = false;
  // Questions on the wire at once; more wait their turn in arrival order.
  // Debian's BIND on loopback drops part of a burst of 256 (its socket
  // buffer) and each drop costs a try timeout; 64 it answers at full speed
  // (bench_dns01_checks, bench/RESULTS.md).
  std::size_t max_in_flight = 64;
  // Told of every question sent: the answer's rcode (0-15), or -1 when none
  // came (timed out, failed, cancelled). For metrics; called on the channel's
  // executor.
  std::function<void(int)> on_answer = {};
};

class AresChannel {
 public:
  using Clock = std::chrono::steady_clock;

  // Starts c-ares with the options; the error says why it could not.
  static Result<std::unique_ptr<AresChannel>> open(asio::any_io_executor executor,
                                                   AresChannelOptions options);
  // Ends c-ares' work: requests still waiting end with an error at once.
  ~AresChannel();
  AresChannel(const AresChannel&) = delete;
  AresChannel& operator=(const AresChannel&) = delete;

  // Sends one query message as it is (c-ares sets its id) and returns the
  // answer's bytes (whatever its rcode when answers_as_they_are); a truncated UDP answer is asked
  // again over TCP by c-ares. Errors: timed out (std::errc::timed_out),
  // cancelled (operation_canceled) or what c-ares said; the message says
  // only the cause, the caller names the question.
  asio::awaitable<Result<std::vector<std::uint8_t>>> send(std::vector<std::uint8_t> query,
                                                          Clock::time_point deadline);

  // A name's IPv4 and IPv6 addresses (hosts file first, as glibc does:
  // /etc/hosts or the file CARES_HOSTS names). Errors as for send().
  asio::awaitable<Result<std::vector<asio::ip::address>>> addresses(std::string name,
                                                                    Clock::time_point deadline);

  // The servers it asks, for messages: "nameservers 10.0.0.1:53" or "the
  // system's resolver".
  const std::string& describe() const { return description_; }

 private:
  struct State;
  AresChannel(std::shared_ptr<State> state, std::string description);

  std::shared_ptr<State> state_;
  std::string description_;
};

}  // namespace certmill::solvers
