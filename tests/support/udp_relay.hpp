// Test fixture: a UDP relay that lets a real server on 127.0.0.1 be reached
// at another loopback address. BIND listens only on addresses its host's
// interfaces carry (127.0.0.1 here), while a zone's second nameserver must
// have an address of its own on the same port as the first: the relay binds
// that address and passes each datagram to the server and its answer back,
// one at a time. It changes no byte, unless told to misbehave (DnsFaults:
// SERVFAIL, no answer, a late answer). Stopped when the test ends.
// Header-only.
#pragma once

#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <netinet/in.h>
#include <poll.h>
#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace certmill::test {

// What a relay does wrong, counted over the queries it sees (opcode QUERY;
// an UPDATE passes whole, as its signed answer cannot be forged): every
// servfail_every-th is answered SERVFAIL by the relay, every drop_every-th
// gets no answer, every delay_every-th goes on delay_ms late, holding up the
// datagrams behind it as a lagging server does. 0: never.
struct DnsFaults {
  int servfail_every = 0;
  int drop_every = 0;
  int delay_every = 0;
  int delay_ms = 0;
};

class UdpRelay {
 public:
  struct Counts {
    std::int64_t queries = 0, servfail = 0, dropped = 0, delayed = 0;
  };

  UdpRelay(const std::string& address, unsigned short port, unsigned short target_port)
      : target_port_(target_port) {
    socket_ = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in at = loopback(port);
    ::inet_pton(AF_INET, address.c_str(), &at.sin_addr);
    if (socket_ < 0 || ::bind(socket_, reinterpret_cast<sockaddr*>(&at), sizeof at) != 0) {
      if (socket_ >= 0)
        ::close(socket_);
      throw std::runtime_error("the UDP relay cannot bind " + address + ":" + std::to_string(port));
    }
    thread_ = std::thread([this] { run(); });
  }
  UdpRelay(const UdpRelay&) = delete;
  UdpRelay& operator=(const UdpRelay&) = delete;
  ~UdpRelay() {
    stop_ = true;
    thread_.join();
    ::close(socket_);
  }

  void set_faults(DnsFaults faults) {
    std::lock_guard lock(mutex_);
    faults_ = faults;
  }
  Counts counts() const {
    std::lock_guard lock(mutex_);
    return counts_;
  }

 private:
  static sockaddr_in loopback(unsigned short port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    return a;
  }

  // Waits up to `ms` for `fd` to be readable.
  static bool readable(int fd, int ms) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, ms) == 1;
  }

  void run() {
    char buffer[65536];
    while (!stop_) {
      if (!readable(socket_, 100))
        continue;
      sockaddr_in client{};
      socklen_t length = sizeof client;
      const ssize_t n = ::recvfrom(socket_, buffer, sizeof buffer, 0,
                                   reinterpret_cast<sockaddr*>(&client), &length);
      if (n <= 0)
        continue;
      const Fault fault = next_fault(buffer, n);
      if (fault == Fault::drop)
        continue;
      if (fault == Fault::servfail) {
        // The query itself, turned into its answer: QR set, RCODE 2.
        buffer[2] = static_cast<char>(buffer[2] | 0x80);
        buffer[3] = static_cast<char>((buffer[3] & 0xF0) | 0x02);
        ::sendto(socket_, buffer, static_cast<std::size_t>(n), 0,
                 reinterpret_cast<const sockaddr*>(&client), length);
        continue;
      }
      if (fault == Fault::delay)
        std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms()));
      const int upstream = ::socket(AF_INET, SOCK_DGRAM, 0);
      if (upstream < 0)
        continue;
      const sockaddr_in target = loopback(target_port_);
      if (::sendto(upstream, buffer, static_cast<std::size_t>(n), 0,
                   reinterpret_cast<const sockaddr*>(&target), sizeof target) == n &&
          readable(upstream, 2000)) {
        const ssize_t m = ::recv(upstream, buffer, sizeof buffer, 0);
        if (m > 0)
          ::sendto(socket_, buffer, static_cast<std::size_t>(m), 0,
                   reinterpret_cast<const sockaddr*>(&client), length);
      }
      ::close(upstream);
    }
  }

  enum class Fault { none, servfail, drop, delay };

  Fault next_fault(const char* message, ssize_t size) {
    // Opcode (bits 3-6 of the third byte) 0 is QUERY.
    if (size < 12 || ((static_cast<unsigned char>(message[2]) >> 3) & 0x0F) != 0)
      return Fault::none;
    std::lock_guard lock(mutex_);
    const std::int64_t n = ++counts_.queries;
    auto every = [n](int k) { return k > 0 && n % k == 0; };
    if (every(faults_.servfail_every)) {
      ++counts_.servfail;
      return Fault::servfail;
    }
    if (every(faults_.drop_every)) {
      ++counts_.dropped;
      return Fault::drop;
    }
    if (every(faults_.delay_every) && faults_.delay_ms > 0) {
      ++counts_.delayed;
      return Fault::delay;
    }
    return Fault::none;
  }
  int delay_ms() const {
    std::lock_guard lock(mutex_);
    return faults_.delay_ms;
  }

  unsigned short target_port_;
  mutable std::mutex mutex_;
  DnsFaults faults_;
  Counts counts_;
  int socket_ = -1;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace certmill::test
