// c-ares driven by Asio: c-ares says which sockets it wants to read or write
// (its socket-state callback), each is watched with a stream_descriptor that
// does not own the fd, and ares_process_fd runs when one is ready or when
// c-ares' own retry timer (one per channel) is due. Each request has its own
// record, handed to c-ares as the callback argument, which wakes the
// awaiting coroutine; a coroutine that gave up (deadline, cancellation)
// leaves the record to c-ares, which ends the request by its own timeout.
// Everything runs on one executor, so callbacks and coroutines never race.
#include "solvers/dns/ares_channel.hpp"

#include <algorithm>
#include <cstring>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <netinet/in.h>
#include <optional>

#include <ares.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace certmill::solvers {
namespace {

using Clock = std::chrono::steady_clock;

// One request's outcome, shared by the coroutine and c-ares' callback.
struct Request {
  explicit Request(asio::any_io_executor executor) : wake(executor) {}
  asio::steady_timer wake;
  bool granted = false;           // holds one of the channel's slots in flight
  std::function<void()> on_done;  // gives the slot back once c-ares is done
  bool done = false;
  int status = ARES_SUCCESS;
  std::vector<std::uint8_t> answer;
  std::vector<asio::ip::address> addresses;
};

// c-ares carries one heap-held reference per request and hands it back once.
using RequestRef = std::shared_ptr<Request>;

void complete(RequestRef* arg, int status) {
  std::unique_ptr<RequestRef> ref(arg);
  Request& request = **ref;
  request.done = true;
  request.status = status;
  request.wake.cancel();
  if (request.on_done)
    std::exchange(request.on_done, nullptr)();
}

void on_answer(void* arg, int status, int, unsigned char* answer, int length) {
  auto* ref = static_cast<RequestRef*>(arg);
  if (status == ARES_SUCCESS && answer != nullptr && length > 0)
    (*ref)->answer.assign(answer, answer + length);
  complete(ref, status);
}

void on_addresses(void* arg, int status, int, ares_addrinfo* result) {
  auto* ref = static_cast<RequestRef*>(arg);
  if (result != nullptr) {
    for (const ares_addrinfo_node* node = result->nodes; node != nullptr; node = node->ai_next) {
      if (node->ai_family == AF_INET) {
        const auto* in = reinterpret_cast<const sockaddr_in*>(node->ai_addr);
        asio::ip::address_v4::bytes_type bytes;
        std::memcpy(bytes.data(), &in->sin_addr, bytes.size());
        (*ref)->addresses.emplace_back(asio::ip::address_v4(bytes));
      } else if (node->ai_family == AF_INET6) {
        const auto* in6 = reinterpret_cast<const sockaddr_in6*>(node->ai_addr);
        asio::ip::address_v6::bytes_type bytes;
        std::memcpy(bytes.data(), &in6->sin6_addr, bytes.size());
        (*ref)->addresses.emplace_back(asio::ip::address_v6(bytes));
      }
    }
    ares_freeaddrinfo(result);
  }
  complete(ref, status);
}

// Waits for the request until the deadline or cancellation; an error then.
asio::awaitable<std::optional<Error>> wait_for(Request& request, Clock::time_point deadline) {
  while (!request.done) {
    const auto state = co_await asio::this_coro::cancellation_state;
    if (state.cancelled() != asio::cancellation_type::none)
      co_return Error(std::make_error_code(std::errc::operation_canceled), "cancelled");
    if (Clock::now() >= deadline)
      co_return Error(std::make_error_code(std::errc::timed_out), "no answer in time");
    request.wake.expires_at(deadline);
    (void)co_await request.wake.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  if (request.status == ARES_SUCCESS)
    co_return std::nullopt;
  const auto code = request.status == ARES_ETIMEOUT       ? std::errc::timed_out
                    : request.status == ARES_ECONNREFUSED ? std::errc::connection_refused
                                                          : std::errc::host_unreachable;
  co_return Error(std::make_error_code(code), ares_strerror(request.status));
}

}  // namespace

// The channel and the sockets it watches. Waits hold it by shared_ptr, so
// it outlives the AresChannel while one is still pending.
struct AresChannel::State : std::enable_shared_from_this<State> {
  struct Socket {
    std::unique_ptr<asio::posix::stream_descriptor> descriptor;
    unsigned id = 0;  // tells a new socket from an earlier one with the same fd
    bool want_read = false, want_write = false;
    bool reading = false, writing = false;
  };

  explicit State(asio::any_io_executor executor) : executor(executor), retry(executor) {}

  // c-ares closes its sockets (the socket-state callback stops watching
  // each, so every pending wait completes and lets go) and ends every
  // request with ARES_EDESTRUCTION.
  void close() {
    if (channel != nullptr)
      ares_destroy(std::exchange(channel, nullptr));
    for (auto& [fd, socket] : sockets)
      (void)socket.descriptor->release();
    sockets.clear();
    retry.cancel();
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
    schedule();
  }

  // Arms the channel's one timer for c-ares' next retry or give-up time.
  void schedule() {
    if (channel == nullptr)
      return;
    timeval next{};
    const timeval* wait = ares_timeout(channel, nullptr, &next);
    if (wait == nullptr) {
      retry.cancel();
      return;
    }
    retry.expires_after(std::chrono::seconds(wait->tv_sec) +
                        std::chrono::microseconds(wait->tv_usec));
    retry.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (ec || self->channel == nullptr)
        return;
      ares_process_fd(self->channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
      self->schedule();
    });
  }

  // Waits for one of the channel's slots: a burst of questions is sent at
  // most max_in_flight at a time, in arrival order, so that a server's
  // receive buffer does not overflow and drop them (each drop costs a try
  // timeout). An error when the deadline passes or the caller is cancelled
  // first.
  asio::awaitable<std::optional<Error>> take_slot(const std::shared_ptr<Request>& request,
                                                  Clock::time_point deadline) {
    if (in_flight < max_in_flight && queue.empty()) {
      ++in_flight;
      request->granted = true;
    }
    while (!request->granted) {
      const auto state = co_await asio::this_coro::cancellation_state;
      if (state.cancelled() != asio::cancellation_type::none)
        co_return Error(std::make_error_code(std::errc::operation_canceled), "cancelled");
      if (Clock::now() >= deadline)
        co_return Error(std::make_error_code(std::errc::timed_out),
                        "no answer in time (still waiting to be sent)");
      queue.push_back(request);
      request->wake.expires_at(deadline);
      (void)co_await request->wake.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    request->on_done = [self = shared_from_this()] { self->give_back_slot(); };
    co_return std::nullopt;
  }

  // A request left c-ares: its slot passes to the first one still waiting.
  void give_back_slot() {
    while (!queue.empty()) {
      std::shared_ptr<Request> next = queue.front().lock();
      queue.pop_front();
      if (next && !next->granted) {
        next->granted = true;
        next->wake.cancel();
        return;
      }
    }
    --in_flight;
  }

  asio::any_io_executor executor;
  asio::steady_timer retry;
  std::size_t max_in_flight = 1;  // set from the options
  std::function<void(int)> on_answer;
  std::size_t in_flight = 0;
  std::deque<std::weak_ptr<Request>> queue;
  ares_channel channel = nullptr;
  std::map<ares_socket_t, Socket> sockets;
  unsigned next_id = 0;
};

AresChannel::AresChannel(std::shared_ptr<State> state, std::string description)
    : state_(std::move(state)), description_(std::move(description)) {}

AresChannel::~AresChannel() {
  state_->close();
}

Result<std::unique_ptr<AresChannel>> AresChannel::open(asio::any_io_executor executor,
                                                       AresChannelOptions options) {
  static std::once_flag initialized;
  std::call_once(initialized, [] { ares_library_init(ARES_LIB_INIT_ALL); });
  auto state = std::make_shared<State>(executor);
  state->max_in_flight = std::max<std::size_t>(1, options.max_in_flight);
  state->on_answer = std::move(options.on_answer);
  std::unique_ptr<AresChannel> channel(new AresChannel(
      state, options.servers.empty() ? "the system's resolver"
                                     : "nameservers " + format_nameservers(options.servers)));
  ares_options settings{};
  // A captureless lambda: c-ares takes a plain function pointer.
  settings.sock_state_cb = [](void* data, ares_socket_t fd, int read, int write) {
    static_cast<State*>(data)->watch(fd, read != 0, write != 0);
  };
  settings.sock_state_cb_data = state.get();
  settings.timeout = static_cast<int>(options.try_timeout.count());
  settings.tries = options.tries;
  // Answers as they are: the caller judges SERVFAIL and REFUSED and names
  // the server (c-ares would otherwise hide them behind the next server).
  settings.flags = options.answers_as_they_are ? ARES_FLAG_NOCHECKRESP : 0;
  if (int rc = ares_init_options(
          &state->channel, &settings,
          ARES_OPT_SOCK_STATE_CB | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_FLAGS);
      rc != ARES_SUCCESS) {
    state->channel = nullptr;
    return Error(std::make_error_code(std::errc::host_unreachable),
                 std::string("c-ares could not start: ") + ares_strerror(rc));
  }
  if (!options.servers.empty()) {
    if (int rc =
            ares_set_servers_ports_csv(state->channel, format_nameservers(options.servers).c_str());
        rc != ARES_SUCCESS)
      return Error(std::make_error_code(std::errc::invalid_argument),
                   std::string("c-ares refused the nameservers: ") + ares_strerror(rc));
  }
  return channel;
}

asio::awaitable<Result<std::vector<std::uint8_t>>> AresChannel::send(
    std::vector<std::uint8_t> query, Clock::time_point deadline) {
  const std::shared_ptr<State> state = state_;
  auto request = std::make_shared<Request>(state->executor);
  if (auto failed = co_await state->take_slot(request, deadline))
    co_return std::move(*failed);
  ares_send(state->channel, query.data(), static_cast<int>(query.size()), on_answer,
            new RequestRef(request));
  state->schedule();
  auto failed = co_await wait_for(*request, deadline);
  if (state->on_answer)
    state->on_answer(failed || request->answer.size() < 4 ? -1 : request->answer[3] & 0x0F);
  if (failed)
    co_return std::move(*failed);
  co_return std::move(request->answer);
}

asio::awaitable<Result<std::vector<asio::ip::address>>> AresChannel::addresses(
    std::string name, Clock::time_point deadline) {
  const std::shared_ptr<State> state = state_;
  auto request = std::make_shared<Request>(state->executor);
  if (auto failed = co_await state->take_slot(request, deadline))
    co_return std::move(*failed);
  ares_addrinfo_hints hints{};
  hints.ai_family = AF_UNSPEC;
  // ENVHOSTS: CARES_HOSTS, when set, names the hosts file to read instead of
  // /etc/hosts (c-ares's own knob; tests use it, a minimal root may have none).
  hints.ai_flags = ARES_AI_NOSORT | ARES_AI_ENVHOSTS;
  ares_getaddrinfo(state->channel, name.c_str(), nullptr, &hints, on_addresses,
                   new RequestRef(request));
  state->schedule();
  if (auto failed = co_await wait_for(*request, deadline))
    co_return std::move(*failed);
  co_return std::move(request->addresses);
}

}  // namespace certmill::solvers
