// The HTTP-01 responder on a real listener: presented tokens are answered
// with their key authorization, others and malformed ones get a 404, tokens
// presented from other threads are seen, cleanup removes them, and a
// responder that is not serving (a standby) answers none.
#include <thread>

#include <catch2/catch.hpp>

#include "reactor/reactor.hpp"
#include "solvers/http01/responder.hpp"
#include "tests/support/plain_http.hpp"

using namespace certmill;
using namespace std::chrono_literals;

namespace {

struct Served {
  Served() {
    reactor.start();
    auto made = reactor::HttpServer::listen(reactor.shard(0).executor(), "127.0.0.1:0",
                                            {.flag = "--http01-listen-address"});
    REQUIRE(made.ok());
    server = std::move(*made);
    responder.attach(*server);
    reactor.spawn_service(reactor.shard(0),
                          [this]() -> boost::asio::awaitable<void> { co_await server->run(); });
  }
  ~Served() {
    reactor.shutdown(5s, 1s).get();
    reactor.join();
  }
  test::PlainHttpAnswer get(const std::string& token) {
    return test::plain_http_get(server->port(), std::string(solvers::kChallengePath) + token);
  }
  reactor::Reactor reactor{2};
  solvers::Http01Responder responder;
  std::unique_ptr<reactor::HttpServer> server;
};

}  // namespace

TEST_CASE("a presented token is answered with its key authorization until cleaned up") {
  Served s;
  REQUIRE(s.responder.present("LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0",
                              "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0.9jg46WB3rR_AHD-EBXdN7cBk"
                              "H1WOu0tA3M9fm21mqTI"));
  auto answer = s.get("LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0");
  CHECK(answer.status == 200);
  CHECK(answer.body ==
        "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0.9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI");
  CHECK(answer.content_type == "application/octet-stream");
  s.responder.cleanup("LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0");
  CHECK(s.get("LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0").status == 404);
  CHECK(s.responder.size() == 0);
}

TEST_CASE("unknown and malformed tokens get a 404, and malformed ones cannot be presented") {
  Served s;
  REQUIRE(s.responder.present("abc", "abc.thumb"));
  CHECK(s.get("abd").status == 404);
  CHECK(s.get("").status == 404);
  CHECK(s.get("abc/extra").status == 404);
  CHECK(s.get("..%2Fabc").status == 404);
  CHECK_FALSE(s.responder.present("../etc/passwd", "x"));
  CHECK_FALSE(s.responder.present("a b", "x"));
  CHECK_FALSE(s.responder.present("", "x"));
  CHECK_FALSE(s.responder.present(std::string(300, 'a'), "x"));
  CHECK(s.responder.size() == 1);
  CHECK(solvers::valid_token("aZ09-_"));
  CHECK_FALSE(solvers::valid_token("a=b"));
}

TEST_CASE("tokens presented on other threads are answered by the listener's shard") {
  Served s;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        const std::string token = "t" + std::to_string(t) + "-" + std::to_string(i);
        s.responder.present(token, token + ".key");
      }
    });
  }
  for (auto& thread : threads)
    thread.join();
  CHECK(s.responder.size() == 200);
  CHECK(s.get("t3-49").body == "t3-49.key");
  CHECK(s.get("t0-0").body == "t0-0.key");
}

TEST_CASE("a responder that is not serving (a standby replica) answers no token, then does") {
  Served s;
  REQUIRE(s.responder.present("abc", "abc.thumb"));
  CHECK(s.get("abc").status == 200);
  s.responder.set_serving(false);
  const auto standby = s.get("abc");
  CHECK(standby.status == 503);
  CHECK(standby.body == "this replica is not the leader\n");
  s.responder.set_serving(true);
  CHECK(s.get("abc").body == "abc.thumb");
}
