// The HTTP-01 self-check over real sockets: names resolved by c-ares through
// pebble-challtestsrv (every name is 127.0.0.1), answers from certmill's own
// responder and from scripted servers that redirect, refuse, stall or send
// too much; and DNS that never answers. Each failure comes back as the error
// a Challenge would show, within the check's deadline or at cancellation.
#include <cstdlib>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <catch2/catch.hpp>

#include "reactor/reactor.hpp"
#include "reactor/run_on.hpp"
#include "solvers/dns/address_lookup.hpp"
#include "solvers/http01/responder.hpp"
#include "solvers/http01/self_check.hpp"
#include "tests/support/openssl_cli.hpp"
#include "tests/support/pebble.hpp"
#include "tests/support/scripted_http.hpp"

using namespace certmill;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {

const std::string kToken = "tok_-9";
const std::string kKey = "tok_-9.thumbprint";

// pebble-challtestsrv, which Pebble starts as its resolver.
struct Dns {
  Dns() : pebble(options()) {}
  static test::PebbleOptions options() {
    test::PebbleOptions o;
    o.resolve_to_loopback = true;
    return o;
  }
  solvers::SelfCheckOptions on_port(unsigned short port) const {
    solvers::SelfCheckOptions o;
    o.nameservers = {{"127.0.0.1", pebble.dns_port}};
    o.port = port;
    o.timeout = 5s;
    return o;
  }
  test::Pebble pebble;
};

// A UDP port that is bound and never read: a nameserver that never answers.
struct SilentNameserver {
  SilentNameserver() {
    fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    socklen_t size = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
    port = ntohs(address.sin_port);
  }
  ~SilentNameserver() { ::close(fd); }
  int fd = -1;
  unsigned short port = 0;
};

struct Shard {
  Shard() { reactor.start(); }
  ~Shard() {
    reactor.shutdown(5s, 1s).get();
    reactor.join();
  }
  Status check(const std::string& name, solvers::SelfCheckOptions options,
               const std::string& key = kKey) {
    return reactor::run_and_wait(reactor.shard(0).executor(), [&]() -> asio::awaitable<Status> {
      co_return co_await solvers::check_http01(name, kToken, key, options);
    });
  }
  // The check, cancelled once it has run for a moment (its own timeout is
  // far longer): what it returns then.
  Status cancelled_check(const std::string& name, solvers::SelfCheckOptions options) {
    options.timeout = 300s;
    return reactor::run_and_wait(reactor.shard(0).executor(), [&]() -> asio::awaitable<Status> {
      const auto executor = co_await asio::this_coro::executor;
      asio::cancellation_signal signal;
      asio::steady_timer soon(executor, 200ms);
      soon.async_wait([&signal](boost::system::error_code ec) {
        if (!ec)
          signal.emit(asio::cancellation_type::terminal);
      });
      Status ended =
          co_await asio::co_spawn(executor, solvers::check_http01(name, kToken, kKey, options),
                                  asio::bind_cancellation_slot(signal.slot(), asio::use_awaitable));
      soon.cancel();
      co_return ended;
    });
  }
  reactor::Reactor reactor{1};
};

void says(const Status& status, const std::string& what) {
  REQUIRE_FALSE(status.ok());
  INFO(status.error().message());
  CHECK(status.error().message().find(what) != std::string::npos);
}

}  // namespace

TEST_CASE("the self-check finds the key authorization certmill's responder serves") {
  Dns dns;
  // Declared before the shard, so they outlive its reactor's shutdown: the
  // server's coroutine runs until then.
  solvers::Http01Responder responder;
  std::unique_ptr<reactor::HttpServer> server;
  Shard shard;
  auto made = reactor::HttpServer::listen(shard.reactor.shard(0).executor(), "127.0.0.1:0",
                                          {.flag = "--http01-listen-address"});
  REQUIRE(made.ok());
  server = std::move(*made);
  responder.attach(*server);
  shard.reactor.spawn_service(shard.reactor.shard(0),
                              [s = server.get()]() -> asio::awaitable<void> { co_await s->run(); });
  const unsigned short port = server->port();
  const auto options = dns.on_port(port);

  says(shard.check("shop.example.com", options),
       "wrong status code '404', expected '200' from http://shop.example.com:" +
           std::to_string(port) + "/.well-known/acme-challenge/" + kToken);
  REQUIRE(responder.present(kToken, kKey));
  CHECK(shard.check("shop.example.com", options).ok());
  CHECK(shard.check("127.0.0.1", options).ok());  // an address is not looked up
  says(shard.check("shop.example.com", options, "other.key"),
       "did not get expected response when querying endpoint");
}

TEST_CASE("the self-check asks the name as the CA does") {
  Dns dns;
  Shard shard;
  test::ScriptedHttp server(test::http_reply(200, kKey + "\n"));
  CHECK(shard.check("www.shop.example.com", dns.on_port(server.port())).ok());
  const auto heads = server.heads();
  REQUIRE(heads.size() == 1);
  CHECK(heads[0].starts_with("GET /.well-known/acme-challenge/" + kToken + " HTTP/1.1\r\n"));
  CHECK(heads[0].find("Host: www.shop.example.com:" + std::to_string(server.port()) + "\r\n") !=
        std::string::npos);
}

TEST_CASE("the self-check follows http redirects and refuses https and loops") {
  Dns dns;
  Shard shard;
  test::ScriptedHttp target(test::http_reply(200, kKey));
  test::ScriptedHttp hop(test::http_reply(
      302, "",
      "Location: http://elsewhere.example.com:" + std::to_string(target.port()) + "/k\r\n"));
  CHECK(shard.check("shop.example.com", dns.on_port(hop.port())).ok());
  REQUIRE(target.heads().size() == 1);
  CHECK(target.heads()[0].starts_with("GET /k HTTP/1.1"));
  CHECK(target.heads()[0].find("Host: elsewhere.example.com:") != std::string::npos);

  test::ScriptedHttp to_https(test::http_reply(
      301, "", "Location: https://shop.example.com/.well-known/acme-challenge/" + kToken + "\r\n"));
  says(shard.check("shop.example.com", dns.on_port(to_https.port())), "plain HTTP");

  test::ScriptedHttp loop(test::http_reply(307, "", "Location: /again\r\n"));
  says(shard.check("shop.example.com", dns.on_port(loop.port())), "more than 10 redirects");
  CHECK(loop.heads().size() == 11);
}

TEST_CASE("the self-check fails clearly on servers that refuse, stall or flood") {
  Dns dns;
  Shard shard;
  SECTION("nothing listening") {
    const unsigned short closed = test::ScriptedHttp(test::http_reply(200, kKey)).port();
    says(shard.check("shop.example.com", dns.on_port(closed)), "cannot connect");
  }
  SECTION("no answer") {
    test::ScriptedHttp silent("");
    auto options = dns.on_port(silent.port());
    options.timeout = 1s;
    says(shard.check("shop.example.com", options), "no HTTP answer: no answer in time");
  }
  SECTION("not HTTP") {
    test::ScriptedHttp garbage("SSH-2.0-OpenSSH_9.2\r\n\r\n");
    says(shard.check("shop.example.com", dns.on_port(garbage.port())), "no HTTP answer");
  }
  SECTION("a body too large") {
    test::ScriptedHttp flood(test::http_reply(200, std::string(64 * 1024, 'k')));
    says(shard.check("shop.example.com", dns.on_port(flood.port())), "over 4 KiB");
  }
  SECTION("a large error page is judged by its status") {
    test::ScriptedHttp page(test::http_reply(503, std::string(64 * 1024, '<')));
    says(shard.check("shop.example.com", dns.on_port(page.port())), "wrong status code '503'");
  }
  SECTION("cancelled while waiting for the answer") {
    test::ScriptedHttp silent("");
    says(shard.cancelled_check("shop.example.com", dns.on_port(silent.port())),
         "no HTTP answer: Operation canceled");
  }
}

TEST_CASE("the self-check's lookups end at their deadline or when cancelled") {
  Shard shard;
  SilentNameserver nameserver;
  solvers::SelfCheckOptions options;
  options.nameservers = {{"127.0.0.1", nameserver.port}};
  options.timeout = 1s;
  says(shard.check("shop.example.com", options),
       "cannot resolve shop.example.com: no answer in time (asked nameservers 127.0.0.1:" +
           std::to_string(nameserver.port) + ")");
  says(shard.cancelled_check("shop.example.com", options), "cancelled while resolving");
}

// A hosts file of the test's own: a minimal root or a container may have no
// /etc/hosts, and the name it serves is one no other source knows.
TEST_CASE("the system's resolver finds names in the hosts file CARES_HOSTS names") {
  test::ScratchDir dir;
  const std::string hosts = dir.write("hosts",
                                      "# written by the test\n"
                                      "127.0.0.7 self-check.hosts.certmill.test\n"
                                      "::1 self-check-v6.hosts.certmill.test\n");
  REQUIRE(::setenv("CARES_HOSTS", hosts.c_str(), 1) == 0);
  struct Unset {
    ~Unset() { ::unsetenv("CARES_HOSTS"); }
  } unset;
  Shard shard;
  auto lookup = [&](std::string name) {
    return reactor::run_and_wait(
        shard.reactor.shard(0).executor(),
        [name]() -> asio::awaitable<Result<std::vector<asio::ip::address>>> {
          co_return co_await solvers::lookup_addresses(name, {}, 5s);
        });
  };
  auto v4 = lookup("self-check.hosts.certmill.test");
  REQUIRE(v4.ok());
  REQUIRE(v4->size() == 1);
  CHECK(v4->front() == asio::ip::make_address("127.0.0.7"));
  auto v6 = lookup("self-check-v6.hosts.certmill.test");
  REQUIRE(v6.ok());
  REQUIRE(v6->size() == 1);
  CHECK(v6->front() == asio::ip::make_address("::1"));
}
