// A plain-HTTP server on a loopback port that answers each request with the
// next of a fixed list of replies (the last one repeats), for the answers a
// real CA does not give on purpose: a directory without newOrder, a body that
// is not JSON, badNonce forever, a rate limit. With no replies it accepts and
// never answers, for deadline and cancellation tests. "{base}" in a reply's
// body becomes the server's own http://127.0.0.1:port. Records what it got.
#pragma once

#include <atomic>
#include <mutex>
#include <netinet/in.h>
#include <poll.h>
#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

namespace certmill::test {

struct CannedReply {
  int status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

class CannedServer {
 public:
  explicit CannedServer(std::vector<CannedReply> replies) : replies_(std::move(replies)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (listener_ < 0 ||
        ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener_, 16) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0)
      throw std::runtime_error("canned server: cannot listen on loopback");
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  CannedServer(const CannedServer&) = delete;
  CannedServer& operator=(const CannedServer&) = delete;
  ~CannedServer() {
    stop_ = true;
    thread_.join();
    ::close(listener_);
  }

  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  // "METHOD target" of every request, in order.
  std::vector<std::string> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  // The body of every request, in the same order.
  std::vector<std::string> bodies() const {
    std::lock_guard lock(mutex_);
    return bodies_;
  }

 private:
  void serve() {
    std::vector<int> held;  // connections left unanswered
    std::size_t next = 0;
    while (!stop_) {
      pollfd p{listener_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0)
        continue;
      const int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0)
        continue;
      const std::string request = read_request(fd);
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(request.substr(0, request.find(" HTTP/")));
        const auto head_end = request.find("\r\n\r\n");
        bodies_.push_back(head_end == std::string::npos ? "" : request.substr(head_end + 4));
      }
      if (replies_.empty()) {
        held.push_back(fd);
        continue;
      }
      const CannedReply& reply = replies_[std::min(next++, replies_.size() - 1)];
      std::string body = reply.body;
      for (auto at = body.find("{base}"); at != std::string::npos; at = body.find("{base}"))
        body.replace(at, 6, url(""));
      std::string out = "HTTP/1.1 " + std::to_string(reply.status) + " Canned\r\n";
      for (const auto& [name, value] : reply.headers)
        out += name + ": " + value + "\r\n";
      out += "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
      if (request.rfind("HEAD ", 0) != 0)
        out += body;
      for (std::size_t sent = 0; sent < out.size();) {
        const ssize_t n = ::send(fd, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
        if (n <= 0)
          break;
        sent += static_cast<std::size_t>(n);
      }
      ::close(fd);
    }
    for (int fd : held)
      ::close(fd);
  }

  // The head and a Content-Length body; enough for the client under test.
  static std::string read_request(int fd) {
    std::string data;
    char buffer[4096];
    std::size_t want = std::string::npos;
    while (want == std::string::npos || data.size() < want) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 2000) <= 0)
        break;
      const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0)
        break;
      data.append(buffer, static_cast<std::size_t>(n));
      const auto end = data.find("\r\n\r\n");
      if (want == std::string::npos && end != std::string::npos) {
        std::size_t body = 0;
        if (auto at = data.find("Content-Length: "); at != std::string::npos && at < end)
          body = std::stoul(data.substr(at + 16));
        want = end + 4 + body;
      }
    }
    return data;
  }

  std::vector<CannedReply> replies_;
  int listener_ = -1;
  unsigned short port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::vector<std::string> requests_;
  std::vector<std::string> bodies_;
  std::thread thread_;
};

}  // namespace certmill::test
