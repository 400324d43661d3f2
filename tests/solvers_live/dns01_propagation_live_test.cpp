// The DNS-01 propagation check against a real BIND (named_server.hpp) that
// serves example.test and other.test on a free loopback port: the zone is
// found by SOA walk, a TXT value is not propagated before an RFC 2136 update
// adds it (the error names the server) and is after, beside a second value
// too, asked of the authoritative servers (recursion off) and of the
// recursive ones; an answer too long for UDP is read over TCP; a CNAME is
// followed into other.test and a CNAME loop refused; REFUSED names the
// server; many checks share one shard's channels (and their sockets); a silent server ends in
// a timeout within the deadline, and a cancelled check ends at once; a burst
// of questions leaves a channel a window at a time.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <catch2/catch.hpp>

#include "reactor/reactor.hpp"
#include "reactor/run_on.hpp"
#include "reactor/task_group.hpp"
#include "solvers/dns/ares_channel.hpp"
#include "solvers/dns/dns_message.hpp"
#include "solvers/dns/propagation.hpp"
#include "solvers/dns/rfc2136/update.hpp"
#include "solvers/dns/zone_finder.hpp"
#include "tests/support/named_server.hpp"

using namespace certmill;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using solvers::Nameserver;
using solvers::dns::check_dns01_propagation;
using solvers::dns::Dns01Resolver;
using solvers::dns::PropagationOptions;
using Clock = std::chrono::steady_clock;

namespace {

const std::string kRecord = "_acme-challenge.a.b.example.test";

// named with a CNAME into other.test and a CNAME loop.
test::NamedOptions fixture() {
  return {
      "_acme-challenge.alias IN CNAME _acme-challenge.other.test.\n"
      "loop1 IN CNAME loop2\n"
      "loop2 IN CNAME loop1\n",
      {"other.test"}};
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
    REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0);
    port = ntohs(address.sin_port);
  }
  ~SilentServer() { ::close(fd); }
  int fd = -1;
  unsigned short port = 0;
};

// One shard; each call makes the shard's resolver, runs checks on it and
// destroys it there.
struct Shard {
  Shard() { reactor.start(); }
  ~Shard() {
    reactor.shutdown(5s, 1s).get();
    reactor.join();
  }

  template <class F>
  auto with_resolver(std::vector<Nameserver> recursive, F f) {
    return reactor::run_and_wait(reactor.shard(0).executor(),
                                 [&]() -> decltype(f(std::declval<Dns01Resolver&>())) {
                                   Dns01Resolver resolver(co_await asio::this_coro::executor,
                                                          {.recursive_nameservers = recursive});
                                   co_return co_await f(resolver);
                                 });
  }

  Status check(std::vector<Nameserver> recursive, std::string fqdn, std::string value,
               PropagationOptions options, Clock::duration timeout = 10s) {
    return with_resolver(recursive, [&](Dns01Resolver& resolver) {
      return check_dns01_propagation(resolver, fqdn, value, options, Clock::now() + timeout);
    });
  }

  void add(const test::NamedServer& named, const std::string& zone, const std::string& record,
           const std::string& value) {
    const test::NamedKey& key = named.keys[2];
    const solvers::rfc2136::Settings settings{"127.0.0.1:" + std::to_string(named.port), key.name,
                                              key.cert_manager_algorithm, key.secret, "UDP"};
    const Status added =
        reactor::run_and_wait(reactor.shard(0).executor(), [&]() -> asio::awaitable<Status> {
          co_return co_await solvers::rfc2136::rfc2136_update(
              co_await asio::this_coro::executor, settings, zone, record, value,
              solvers::rfc2136::Change::add, Clock::now() + 10s);
        });
    INFO((added.ok() ? std::string() : added.error().message()));
    REQUIRE(added.ok());
  }

  reactor::Reactor reactor{1};
};

std::size_t open_descriptors() {
  const auto entries = std::filesystem::directory_iterator("/proc/self/fd");
  return static_cast<std::size_t>(std::distance(begin(entries), end(entries)));
}

void says(const Status& status, const std::string& what) {
  REQUIRE_FALSE(status.ok());
  INFO(status.error().message());
  CHECK(status.error().message().find(what) != std::string::npos);
}

}  // namespace

TEST_CASE("DNS-01 propagation against a real BIND") {
  test::NamedServer named(fixture());
  Shard shard;
  const std::vector<Nameserver> recursive{{"127.0.0.1", named.port}};
  const std::string server = "127.0.0.1:" + std::to_string(named.port);
  // named's NS record says ns.example.test is 127.0.0.1; it listens on its port.
  const PropagationOptions authoritative{.authoritative_port = named.port};
  const PropagationOptions recursive_only{.recursive_only = true};

  SECTION("the zone is found by SOA walk") {
    const auto zone = shard.with_resolver(recursive, [&](Dns01Resolver& resolver) {
      return solvers::dns::find_zone(resolver, kRecord, Clock::now() + 10s);
    });
    INFO((zone.ok() ? *zone : zone.error().message()));
    REQUIRE(zone.ok());
    CHECK(*zone == "example.test");
  }

  SECTION("not propagated before the value is added, propagated after, beside another") {
    for (const auto& options : {authoritative, recursive_only}) {
      const Status before = shard.check(recursive, kRecord, "first", options);
      says(before, server);
      says(before, "not yet propagated");
      CHECK(before.error().code() == std::errc::resource_unavailable_try_again);
    }
    shard.add(named, "example.test", kRecord, "first");
    REQUIRE(named.txt(kRecord) == std::set<std::string>{"first"});
    says(shard.check(recursive, kRecord, "second", authoritative), "1 other TXT value");
    shard.add(named, "example.test", kRecord, "second");
    for (const auto& options : {authoritative, recursive_only})
      for (const std::string value : {"first", "second"}) {
        const Status after = shard.check(recursive, kRecord, value, options);
        INFO((after.ok() ? std::string() : after.error().message()));
        CHECK(after.ok());
      }
  }

  SECTION("an answer too long for UDP is read over TCP") {
    // 30 values of 60 octets: far over the 512 octets of a UDP answer
    // without EDNS, so named answers truncated and c-ares asks over TCP.
    for (int i = 0; i < 30; ++i)
      shard.add(named, "example.test", kRecord, std::string(58, 'v') + std::to_string(10 + i));
    REQUIRE(named.txt(kRecord).size() == 30);
    for (const auto& options : {authoritative, recursive_only}) {
      const Status found = shard.check(recursive, kRecord, std::string(58, 'v') + "39", options);
      INFO((found.ok() ? std::string() : found.error().message()));
      CHECK(found.ok());
    }
  }

  SECTION("a CNAME is followed into another zone") {
    const std::string alias = "_acme-challenge.alias.example.test";
    PropagationOptions follow = authoritative;
    follow.follow_cnames = true;
    says(shard.check(recursive, alias, "v", follow), "_acme-challenge.other.test not yet");
    shard.add(named, "other.test", "_acme-challenge.other.test", "v");
    const Status followed = shard.check(recursive, alias, "v", follow);
    INFO((followed.ok() ? std::string() : followed.error().message()));
    CHECK(followed.ok());
    // Without following, the TXT is looked up at the alias itself.
    says(shard.check(recursive, alias, "v", authoritative), "not yet propagated");
    says(shard.check(recursive, "loop1.example.test", "v", follow), "CNAME loop");
  }

  SECTION("a server that refuses is named with its answer") {
    const Status refused =
        shard.check(recursive, "_acme-challenge.nowhere.invalid", "v", recursive_only);
    says(refused, "REFUSED");
    says(refused, server);
    says(shard.check(recursive, "_acme-challenge.nowhere.invalid", "v", authoritative), "REFUSED");
  }

  SECTION("one shard's resolver serves many checks at once") {
    shard.add(named, "example.test", kRecord, "shared");
    constexpr int kChecks = 200;
    const int passed = shard.with_resolver(recursive, [&](Dns01Resolver& resolver) {
      return [](Dns01Resolver& r, PropagationOptions options) -> asio::awaitable<int> {
        const auto executor = co_await asio::this_coro::executor;
        int ok = 0, ended = 0;
        const std::size_t before = open_descriptors();
        std::size_t most = before;
        asio::steady_timer all_ended(executor, Clock::time_point::max());
        for (int i = 0; i < kChecks; ++i)
          asio::co_spawn(executor,
                         check_dns01_propagation(r, kRecord, "shared", options, Clock::now() + 20s),
                         [&](std::exception_ptr, Status status) {
                           ok += status.ok() ? 1 : 0;
                           most = std::max(most, open_descriptors());
                           if (++ended == kChecks)
                             all_ended.cancel();
                         });
        (void)co_await all_ended.async_wait(asio::as_tuple(asio::use_awaitable));
        // Sockets grow with the servers asked (named's one address here),
        // not with the checks in flight.
        CHECK(most - before < 10);
        co_return ok;
      }(resolver, authoritative);
    });
    CHECK(passed == kChecks);
  }
}

TEST_CASE("DNS-01 propagation: a silent server times out, a cancelled check ends at once") {
  SilentServer silent;
  Shard shard;
  const std::vector<Nameserver> recursive{{"127.0.0.1", silent.port}};
  const std::string server = "127.0.0.1:" + std::to_string(silent.port);

  SECTION("timeout within the deadline") {
    for (const bool recursive_only : {false, true}) {
      const auto started = Clock::now();
      const Status timed_out =
          shard.check(recursive, kRecord, "v", {.recursive_only = recursive_only}, 700ms);
      const auto took = Clock::now() - started;
      says(timed_out, "no answer in time");
      says(timed_out, server);
      CHECK(timed_out.error().code() == std::errc::timed_out);
      CHECK(took >= 650ms);
      // Ended by its deadline, not left to c-ares's own retries; the bound is
      // loose for a loaded machine and the sanitizer build.
      CHECK(took < 10s);
    }
  }

  SECTION("cancellation") {
    const auto started = Clock::now();
    const Status cancelled =
        reactor::run_and_wait(shard.reactor.shard(0).executor(), [&]() -> asio::awaitable<Status> {
          const auto executor = co_await asio::this_coro::executor;
          Dns01Resolver resolver(executor, {.recursive_nameservers = recursive});
          asio::cancellation_signal signal;
          asio::steady_timer soon(executor, 200ms);
          soon.async_wait([&signal](boost::system::error_code ec) {
            if (!ec)
              signal.emit(asio::cancellation_type::terminal);
          });
          Status ended = co_await asio::co_spawn(
              executor, check_dns01_propagation(resolver, kRecord, "v", {}, Clock::now() + 300s),
              asio::bind_cancellation_slot(signal.slot(), asio::use_awaitable));
          soon.cancel();
          co_return ended;
        });
    const auto took = Clock::now() - started;
    says(cancelled, "cancelled");
    CHECK(cancelled.error().code() == std::errc::operation_canceled);
    // Ended by the cancellation, long before the 300 s deadline.
    CHECK(took < 60s);
  }
}

TEST_CASE("a burst of questions goes out a window at a time, and the rest wait their turn") {
  SilentServer silent;
  Shard shard;
  const std::vector<std::string> outcomes = reactor::run_and_wait(
      shard.reactor.shard(0).executor(), [&]() -> asio::awaitable<std::vector<std::string>> {
        const auto executor = co_await asio::this_coro::executor;
        // One try each, longer than the test: only first sends reach
        // the wire.
        auto channel =
            solvers::AresChannel::open(executor, {.servers = {{"127.0.0.1", silent.port}},
                                                  .try_timeout = 30s,
                                                  .tries = 1,
                                                  .max_in_flight = 4});
        REQUIRE(channel);
        std::vector<std::string> ended(10);
        const auto deadline = Clock::now() + 800ms;
        reactor::TaskGroup questions(executor);
        for (std::size_t i = 0; i < ended.size(); ++i) {
          questions.spawn([&, i]() -> asio::awaitable<void> {
            auto query = solvers::dns::build_query("q" + std::to_string(i) + ".example.test",
                                                   solvers::dns::RecordType::txt, true);
            auto answer = co_await (*channel)->send(*query, deadline);
            ended[i] = answer ? "answered" : answer.error().message();
          });
        }
        co_await questions.wait_empty();
        co_return ended;
      });
  // Four questions reached the server; the six others never left.
  std::size_t received = 0;
  char buffer[512];
  while (::recv(silent.fd, buffer, sizeof buffer, MSG_DONTWAIT) > 0)
    ++received;
  CHECK(received == 4);
  const auto waited =
      std::count(outcomes.begin(), outcomes.end(), "no answer in time (still waiting to be sent)");
  const auto unanswered = std::count(outcomes.begin(), outcomes.end(), "no answer in time");
  CHECK(waited == 6);
  CHECK(unanswered == 4);
}
