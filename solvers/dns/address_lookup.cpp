// c-ares driven by Asio: c-ares says which sockets it wants to read or write
// (its socket-state callback), each is watched with a stream_descriptor that
// does not own the fd, and ares_process_fd runs when one is ready or when
// c-ares' own retry timer is due. Everything runs on one executor, so
// c-ares' callbacks and the coroutine never race.
#include "solvers/dns/address_lookup.hpp"

#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <netinet/in.h>

#include <ares.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace certmill::solvers {
namespace {

using Clock = std::chrono::steady_clock;

// One lookup's state. Descriptor waits hold it by shared_ptr, so it outlives
// the coroutine when one is still pending at the end.
struct Lookup : std::enable_shared_from_this<Lookup> {
  struct Socket {
    std::unique_ptr<asio::posix::stream_descriptor> descriptor;
    unsigned id = 0;  // tells a new socket from an earlier one with the same fd
    bool want_read = false, want_write = false;
    bool reading = false, writing = false;
  };

  explicit Lookup(asio::any_io_executor executor) : executor(executor), wake(executor) {}

  // Ends c-ares' work: it closes its sockets, and the socket-state callback
  // stops watching each, so every pending wait completes and lets go.
  void close() {
    if (channel != nullptr)
      ares_destroy(std::exchange(channel, nullptr));
    for (auto& [fd, socket] : sockets)
      (void)socket.descriptor->release();
    sockets.clear();
  }

  void watch(ares_socket_t fd, bool read, bool write) {
    auto it = sockets.find(fd);
    if (!read && !write) {
      // c-ares is about to close it: stop watching first (release() cancels
      // the waits and takes the fd out of the reactor without closing it).
      if (it != sockets.end()) {
        (void)it->second.descriptor->release();
        sockets.erase(it);
      }
      return;
    }
    if (it == sockets.end()) {
      it = sockets.emplace(fd, Socket{}).first;
      it->second.descriptor = std::make_unique<asio::posix::stream_descriptor>(executor, fd);
      it->second.id = ++next_id;
    }
    it->second.want_read = read;
    it->second.want_write = write;
    arm(fd);
  }

  void arm(ares_socket_t fd) {
    auto it = sockets.find(fd);
    if (it == sockets.end())
      return;
    Socket& s = it->second;
    if (s.want_read && !s.reading) {
      s.reading = true;
      s.descriptor->async_wait(
          asio::posix::stream_descriptor::wait_read,
          [self = shared_from_this(), fd, id = s.id](auto ec) { self->ready(fd, id, ec, true); });
    }
    if (s.want_write && !s.writing) {
      s.writing = true;
      s.descriptor->async_wait(
          asio::posix::stream_descriptor::wait_write,
          [self = shared_from_this(), fd, id = s.id](auto ec) { self->ready(fd, id, ec, false); });
    }
  }

  void ready(ares_socket_t fd, unsigned id, boost::system::error_code ec, bool read) {
    auto it = sockets.find(fd);
    if (ec || it == sockets.end() || it->second.id != id || channel == nullptr)
      return;
    (read ? it->second.reading : it->second.writing) = false;
    ares_process_fd(channel, read ? fd : ARES_SOCKET_BAD, read ? ARES_SOCKET_BAD : fd);
    arm(fd);
    // c-ares may have sent a retry with an earlier deadline: recompute it.
    wake.cancel();
  }

  void finish(int rc, ares_addrinfo* result) {
    if (done)
      return;
    done = true;
    status = rc;
    if (result != nullptr) {
      for (const ares_addrinfo_node* node = result->nodes; node != nullptr; node = node->ai_next) {
        if (node->ai_family == AF_INET) {
          const auto* in = reinterpret_cast<const sockaddr_in*>(node->ai_addr);
          asio::ip::address_v4::bytes_type bytes;
          std::memcpy(bytes.data(), &in->sin_addr, bytes.size());
          addresses.emplace_back(asio::ip::address_v4(bytes));
        } else if (node->ai_family == AF_INET6) {
          const auto* in6 = reinterpret_cast<const sockaddr_in6*>(node->ai_addr);
          asio::ip::address_v6::bytes_type bytes;
          std::memcpy(bytes.data(), &in6->sin6_addr, bytes.size());
          addresses.emplace_back(asio::ip::address_v6(bytes));
        }
      }
      ares_freeaddrinfo(result);
    }
    wake.cancel();
  }

  asio::any_io_executor executor;
  asio::steady_timer wake;
  ares_channel channel = nullptr;
  std::map<ares_socket_t, Socket> sockets;
  unsigned next_id = 0;
  bool done = false;
  int status = ARES_SUCCESS;
  std::vector<asio::ip::address> addresses;
};

std::string where(const std::vector<Nameserver>& nameservers) {
  return nameservers.empty() ? "the system's resolver"
                             : "nameservers " + format_nameservers(nameservers);
}

timeval to_timeval(Clock::duration d) {
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(d).count();
  return timeval{static_cast<time_t>(us / 1'000'000), static_cast<suseconds_t>(us % 1'000'000)};
}

}  // namespace

asio::awaitable<Result<std::vector<asio::ip::address>>> lookup_addresses(
    std::string name, std::vector<Nameserver> nameservers, Clock::duration timeout) {
  static std::once_flag initialized;
  std::call_once(initialized, [] { ares_library_init(ARES_LIB_INIT_ALL); });
  const auto failed = [&](const std::string& why) {
    return Error(std::make_error_code(std::errc::host_unreachable),
                 "cannot resolve " + name + ": " + why + " (asked " + where(nameservers) + ")");
  };

  auto lookup = std::make_shared<Lookup>(co_await asio::this_coro::executor);
  struct Closing {
    Lookup& lookup;
    ~Closing() { lookup.close(); }
  } closing{*lookup};
  ares_options options{};
  // A captureless lambda: c-ares takes a plain function pointer.
  options.sock_state_cb = [](void* data, ares_socket_t fd, int read, int write) {
    static_cast<Lookup*>(data)->watch(fd, read != 0, write != 0);
  };
  options.sock_state_cb_data = lookup.get();
  options.timeout = 2000;  // milliseconds per try
  options.tries = 2;
  if (int rc = ares_init_options(&lookup->channel, &options,
                                 ARES_OPT_SOCK_STATE_CB | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES);
      rc != ARES_SUCCESS) {
    lookup->channel = nullptr;
    co_return failed(std::string("c-ares could not start: ") + ares_strerror(rc));
  }
  if (!nameservers.empty()) {
    if (int rc =
            ares_set_servers_ports_csv(lookup->channel, format_nameservers(nameservers).c_str());
        rc != ARES_SUCCESS)
      co_return failed(std::string("c-ares refused the nameservers: ") + ares_strerror(rc));
  }

  ares_addrinfo_hints hints{};
  hints.ai_family = AF_UNSPEC;
  // ENVHOSTS: CARES_HOSTS, when set, names the hosts file to read instead of
  // /etc/hosts (c-ares's own knob; tests use it, a minimal root may have none).
  hints.ai_flags = ARES_AI_NOSORT | ARES_AI_ENVHOSTS;
  ares_getaddrinfo(
      lookup->channel, name.c_str(), nullptr, &hints,
      [](void* arg, int status, int, ares_addrinfo* result) {
        static_cast<Lookup*>(arg)->finish(status, result);
      },
      lookup.get());

  const auto deadline = Clock::now() + timeout;
  while (!lookup->done) {
    const auto state = co_await asio::this_coro::cancellation_state;
    if (state.cancelled() != asio::cancellation_type::none)
      co_return Error(std::make_error_code(std::errc::operation_canceled),
                      "cancelled while resolving " + name);
    const auto left = deadline - Clock::now();
    if (left <= Clock::duration::zero())
      co_return failed("no answer in time");
    timeval most = to_timeval(left), next{};
    const timeval* wait = ares_timeout(lookup->channel, &most, &next);
    lookup->wake.expires_after(std::chrono::seconds(wait->tv_sec) +
                               std::chrono::microseconds(wait->tv_usec));
    auto [ec] = co_await lookup->wake.async_wait(asio::as_tuple(asio::use_awaitable));
    if (!ec)  // c-ares' retry time: it resends or gives up
      ares_process_fd(lookup->channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
  }
  if (lookup->status != ARES_SUCCESS)
    co_return failed(ares_strerror(lookup->status));
  if (lookup->addresses.empty())
    co_return failed("no A or AAAA record");
  co_return std::move(lookup->addresses);
}

}  // namespace certmill::solvers
