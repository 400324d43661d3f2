// RFC 2136 updates with TSIG against a real BIND (named_server.hpp): for each
// of cert-manager's four algorithms, over UDP and TCP, values are added next
// to each other and removed one at a time, as dig sees them; a wrong secret,
// an unknown key and a zone BIND does not serve come back as the errors a
// Challenge would show; a truncated UDP answer is retried over TCP; a silent
// server ends at the deadline, and a cancelled update ends at once.
#include <atomic>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <catch2/catch.hpp>

#include "reactor/reactor.hpp"
#include "reactor/run_on.hpp"
#include "solvers/dns/rfc2136/update.hpp"
#include "tests/support/named_server.hpp"

using namespace certmill;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using solvers::rfc2136::Change;
using solvers::rfc2136::Settings;

namespace {

const std::string kRecord = "_acme-challenge.example.test";

struct Shard {
  Shard() { reactor.start(); }
  ~Shard() {
    reactor.shutdown(5s, 1s).get();
    reactor.join();
  }
  Status update(const Settings& settings, const std::string& zone, const std::string& value,
                Change change, std::chrono::steady_clock::duration timeout = 10s,
                const std::string& record = kRecord) {
    return reactor::run_and_wait(reactor.shard(0).executor(), [&]() -> asio::awaitable<Status> {
      co_return co_await solvers::rfc2136::rfc2136_update(
          co_await asio::this_coro::executor, settings, zone, record, value, change,
          std::chrono::steady_clock::now() + timeout);
    });
  }
  // An update to a server that never answers, cancelled after a moment.
  Status cancelled_update(const Settings& settings) {
    return reactor::run_and_wait(reactor.shard(0).executor(), [&]() -> asio::awaitable<Status> {
      const auto executor = co_await asio::this_coro::executor;
      asio::cancellation_signal signal;
      asio::steady_timer soon(executor, 200ms);
      soon.async_wait([&signal](boost::system::error_code ec) {
        if (!ec)
          signal.emit(asio::cancellation_type::terminal);
      });
      Status ended = co_await asio::co_spawn(
          executor,
          solvers::rfc2136::rfc2136_update(executor, settings, "example.test", kRecord, "v",
                                           Change::add, std::chrono::steady_clock::now() + 300s),
          asio::bind_cancellation_slot(signal.slot(), asio::use_awaitable));
      soon.cancel();
      co_return ended;
    });
  }
  reactor::Reactor reactor{1};
};

Settings settings_for(const test::NamedServer& named, const test::NamedKey& key,
                      const std::string& protocol) {
  return {"127.0.0.1:" + std::to_string(named.port), key.name, key.cert_manager_algorithm,
          key.secret, protocol};
}

void says(const Status& status, const std::string& what) {
  REQUIRE_FALSE(status.ok());
  INFO(status.error().message());
  CHECK(status.error().message().find(what) != std::string::npos);
}

// A UDP port that is bound and never read, and no TCP listener on it.
struct SilentServer {
  SilentServer() {
    fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    socklen_t size = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
    port = ntohs(address.sin_port);
  }
  ~SilentServer() { ::close(fd); }
  int fd = -1;
  unsigned short port = 0;
};

// In front of named: every UDP request gets a truncated (TC) empty answer,
// and each TCP connection is relayed to named's TCP port, so an update over
// UDP only succeeds by retrying over TCP. One thread, blocking sockets.
class TruncatingFront {
 public:
  explicit TruncatingFront(unsigned short named_port) : named_port_(named_port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    tcp_ = ::socket(AF_INET, SOCK_STREAM, 0);
    socklen_t size = sizeof address;
    REQUIRE(::bind(tcp_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::getsockname(tcp_, reinterpret_cast<sockaddr*>(&address), &size) == 0);
    REQUIRE(::listen(tcp_, 4) == 0);
    udp_ = ::socket(AF_INET, SOCK_DGRAM, 0);
    REQUIRE(::bind(udp_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    port = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~TruncatingFront() {
    stop_ = true;
    thread_.join();
    ::close(tcp_);
    ::close(udp_);
  }

  unsigned short port = 0;
  std::atomic<int> truncated{0};
  std::atomic<int> relayed{0};

 private:
  void serve() {
    while (!stop_) {
      pollfd fds[2] = {{udp_, POLLIN, 0}, {tcp_, POLLIN, 0}};
      if (::poll(fds, 2, 100) <= 0)
        continue;
      if (fds[0].revents & POLLIN)
        answer_truncated();
      if (fds[1].revents & POLLIN)
        relay();
    }
  }

  void answer_truncated() {
    std::uint8_t request[4096];
    sockaddr_in from{};
    socklen_t size = sizeof from;
    const ssize_t n =
        ::recvfrom(udp_, request, sizeof request, 0, reinterpret_cast<sockaddr*>(&from), &size);
    if (n < 12)
      return;
    std::uint8_t answer[12] = {request[0], request[1],
                               static_cast<std::uint8_t>(request[2] | 0x82)};
    ::sendto(udp_, answer, sizeof answer, 0, reinterpret_cast<sockaddr*>(&from), size);
    ++truncated;
  }

  static bool exchange(int fd, std::vector<std::uint8_t>& message, bool send) {
    if (send)
      return ::send(fd, message.data(), message.size(), MSG_NOSIGNAL) ==
             static_cast<ssize_t>(message.size());
    std::uint8_t length[2];
    if (::recv(fd, length, 2, MSG_WAITALL) != 2)
      return false;
    message.assign(length, length + 2);
    message.resize(2 + ((length[0] << 8) | length[1]));
    return ::recv(fd, message.data() + 2, message.size() - 2, MSG_WAITALL) ==
           static_cast<ssize_t>(message.size() - 2);
  }

  void relay() {
    const int client = ::accept(tcp_, nullptr, nullptr);
    if (client < 0)
      return;
    const int named = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(named_port_);
    std::vector<std::uint8_t> message;
    if (::connect(named, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        exchange(client, message, false) && exchange(named, message, true) &&
        exchange(named, message, false)) {
      ++relayed;  // before the client can see the answer and look at the count
      exchange(client, message, true);
    }
    ::close(named);
    ::close(client);
  }

  unsigned short named_port_;
  int tcp_ = -1, udp_ = -1;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace

TEST_CASE("a truncated answer over UDP is retried over TCP", "[rfc2136]") {
  test::NamedServer named;
  TruncatingFront front(named.port);
  Shard shard;
  Settings settings = settings_for(named, named.keys.at(3), "UDP");
  settings.nameserver = "127.0.0.1:" + std::to_string(front.port);
  const Status added = shard.update(settings, "example.test", "through-tcp", Change::add);
  INFO((added.ok() ? std::string("added") : added.error().message()));
  REQUIRE(added.ok());
  CHECK(front.truncated == 1);
  CHECK(front.relayed == 1);
  CHECK(named.txt(kRecord) == std::set<std::string>{"through-tcp"});
}

TEST_CASE("each TSIG algorithm adds TXT values beside each other and removes one at a time",
          "[rfc2136]") {
  test::NamedServer named;
  Shard shard;
  int round = 0;
  for (const test::NamedKey& key : named.keys) {
    for (const std::string protocol : {"UDP", "TCP"}) {
      INFO(key.cert_manager_algorithm << " over " << protocol);
      const Settings settings = settings_for(named, key, protocol);
      const std::string first = "first-" + std::to_string(round);
      const std::string second = "second-" + std::to_string(round++);
      REQUIRE(named.txt(kRecord).empty());

      const Status added = shard.update(settings, "example.test", first, Change::add);
      INFO((added.ok() ? std::string("added") : added.error().message()));
      REQUIRE(added.ok());
      CHECK(named.txt(kRecord) == std::set<std::string>{first});

      REQUIRE(shard.update(settings, "example.test.", second, Change::add).ok());
      CHECK(named.txt(kRecord) == std::set<std::string>{first, second});

      REQUIRE(shard.update(settings, "example.test", first, Change::remove).ok());
      CHECK(named.txt(kRecord) == std::set<std::string>{second});

      // Removing a value that is not there changes nothing and is no error.
      REQUIRE(shard.update(settings, "example.test", first, Change::remove).ok());
      REQUIRE(shard.update(settings, "example.test", second, Change::remove).ok());
      CHECK(named.txt(kRecord).empty());
    }
  }
}

TEST_CASE("BIND's refusals come back named", "[rfc2136]") {
  test::NamedServer named;
  Shard shard;
  const test::NamedKey& key = named.keys.at(2);  // HMACSHA256
  for (const std::string protocol : {"UDP", "TCP"}) {
    INFO(protocol);
    Settings wrong_secret = settings_for(named, key, protocol);
    wrong_secret.tsig_secret = named.keys.at(3).secret;
    says(shard.update(wrong_secret, "example.test", "v", Change::add),
         "DNS update failed. Server replied: NOTAUTH (TSIG error BADSIG");

    Settings unknown_key = settings_for(named, key, protocol);
    unknown_key.tsig_key_name = "nobody";
    says(shard.update(unknown_key, "example.test", "v", Change::add),
         "DNS update failed. Server replied: NOTAUTH (TSIG error BADKEY");

    Settings wrong_algorithm = settings_for(named, key, protocol);
    wrong_algorithm.tsig_algorithm = "HMACSHA512";
    says(shard.update(wrong_algorithm, "example.test", "v", Change::add), "TSIG error BADKEY");

    // BIND is not authoritative for other.test: a signed NOTAUTH.
    const Status elsewhere = shard.update(settings_for(named, key, protocol), "other.test", "v",
                                          Change::add, 10s, "_acme-challenge.other.test");
    REQUIRE_FALSE(elsewhere.ok());
    INFO(elsewhere.error().message());
    CHECK_THAT(elsewhere.error().message(),
               Catch::Matches("DNS update failed\\. Server replied: (NOTAUTH|NOTZONE|REFUSED) "
                              "\\(nameserver 127\\.0\\.0\\.1:[0-9]+, zone other\\.test\\)"));
  }
  CHECK(named.txt(kRecord).empty());
}

TEST_CASE("an update ends at its deadline or when cancelled", "[rfc2136]") {
  SilentServer silent;
  Shard shard;
  const Settings settings{"127.0.0.1:" + std::to_string(silent.port), "k", "HMACSHA256", "c2VjcmV0",
                          "UDP"};
  const auto start = std::chrono::steady_clock::now();
  says(shard.update(settings, "example.test", "v", Change::add, 500ms), "no answer in time");
  const auto took = std::chrono::steady_clock::now() - start;
  CHECK(took >= 500ms);
  CHECK(took < 3s);

  const auto cancelled_at = std::chrono::steady_clock::now();
  says(shard.cancelled_update(settings), "cancelled");
  CHECK(std::chrono::steady_clock::now() - cancelled_at < 3s);

  // Nothing listens on TCP there: the connection is refused at once.
  Settings tcp = settings;
  tcp.protocol = "TCP";
  says(shard.update(tcp, "example.test", "v", Change::add), "connecting over TCP");
}
