// Test fixture: a UDP relay that lets a real server on 127.0.0.1 be reached
// at another loopback address. BIND listens only on addresses its host's
// interfaces carry (127.0.0.1 here), while a zone's second nameserver must
// have an address of its own on the same port as the first: the relay binds
// that address and passes each datagram to the server and its answer back,
// one at a time. It changes no byte. Stopped when the test ends.
// Header-only.
#pragma once

#include <arpa/inet.h>
#include <atomic>
#include <netinet/in.h>
#include <poll.h>
#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace certmill::test {

class UdpRelay {
 public:
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

  unsigned short target_port_;
  int socket_ = -1;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace certmill::test
