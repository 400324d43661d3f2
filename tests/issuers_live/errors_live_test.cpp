// What the client says when a CA misbehaves or is not there: a directory that
// is not JSON or lacks newOrder, an error page, a closed port, a CA that never
// answers (deadline, cancellation), badNonce once and forever, a rate limit
// with Retry-After. The CA here is a canned HTTP server.
#include <algorithm>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <catch2/catch.hpp>

#include "core/acme/base64url.hpp"
#include "core/acme/problem.hpp"
#include "tests/issuers_live/acme_live.hpp"
#include "tests/issuers_live/canned_server.hpp"

using namespace certmill;
using namespace certmill::issuers::acme;
using namespace boost::asio::experimental::awaitable_operators;
using certmill::acme::ProblemType;

namespace {

Result<Directory> fetch_directory(test::AcmeShard& acme) {
  return acme.run(
      [&]() -> asio::awaitable<Result<Directory>> { co_return co_await acme.client->directory(); });
}

Result<HttpResponse> post_as_get(test::AcmeShard& acme, const std::string& url) {
  return acme.run([&]() -> asio::awaitable<Result<HttpResponse>> {
    co_return co_await acme.client->post_as_get(url);
  });
}

// A directory whose URLs point back at the canned server, then a nonce for
// the HEAD.
std::vector<test::CannedReply> directory_and_nonce() {
  return {
      {200,
       R"({"newNonce":"{base}/nonce","newAccount":"{base}/account","newOrder":"{base}/order"})",
       {{"Content-Type", "application/json"}}},
      {200, "", {{"Replay-Nonce", "first-nonce"}}},
  };
}

test::CannedReply problem(int status, std::string_view type, std::string nonce,
                          std::vector<std::pair<std::string, std::string>> headers = {}) {
  headers.emplace_back("Content-Type", "application/problem+json");
  headers.emplace_back("Replay-Nonce", std::move(nonce));
  return {status,
          R"({"type":"urn:ietf:params:acme:error:)" + std::string(type) +
              R"(","detail":"canned","status":)" + std::to_string(status) + "}",
          std::move(headers)};
}

std::string protected_header(const std::string& jws) {
  const std::string key = R"("protected":")";
  const auto begin = jws.find(key) + key.size();
  auto decoded = certmill::acme::base64url_decode(jws.substr(begin, jws.find('"', begin) - begin));
  REQUIRE(decoded.ok());
  return *decoded;
}

// A loopback port nothing listens on any more.
unsigned short closed_port() {
  test::CannedServer probe({});
  const std::string url = probe.url("");
  return static_cast<unsigned short>(std::stoul(url.substr(url.rfind(':') + 1)));
}

}  // namespace

TEST_CASE("a directory that is not JSON is a clear error") {
  test::CannedServer ca({{200, "<html>welcome</html>", {{"Content-Type", "text/html"}}}});
  test::AcmeShard acme(ca.url("/dir"));
  auto directory = fetch_directory(acme);
  REQUIRE_FALSE(directory.ok());
  INFO(directory.error().message());
  CHECK(directory.error().code() == Errc::invalid_json);
  CHECK(directory.error().message().starts_with("GET " + ca.url("/dir") + ": ACME directory"));
}

TEST_CASE("a directory without newOrder names the missing member") {
  test::CannedServer ca(
      {{200, R"({"newNonce":"http://127.0.0.1/n","newAccount":"http://127.0.0.1/a"})", {}}});
  test::AcmeShard acme(ca.url("/dir"));
  auto directory = fetch_directory(acme);
  REQUIRE_FALSE(directory.ok());
  INFO(directory.error().message());
  CHECK(directory.error().message().find("newOrder") != std::string::npos);
}

TEST_CASE("an error page instead of the directory says what came back") {
  test::CannedServer ca({{503, "<h1>upstream unavailable</h1>", {{"Retry-After", "30"}}}});
  test::AcmeShard acme(ca.url("/dir"));
  auto directory = fetch_directory(acme);
  REQUIRE_FALSE(directory.ok());
  INFO(directory.error().message());
  CHECK(directory.error().message().find("HTTP 503") != std::string::npos);
  CHECK(directory.error().message().find("upstream unavailable") != std::string::npos);
  CHECK(directory.error().retry_after() == std::chrono::seconds(30));
}

TEST_CASE("a CA on a closed port is a connection error") {
  const unsigned short port = closed_port();
  test::AcmeShard acme("https://127.0.0.1:" + std::to_string(port) + "/dir");
  auto directory = fetch_directory(acme);
  REQUIRE_FALSE(directory.ok());
  INFO(directory.error().message());
  CHECK(directory.error().code() == std::errc::connection_refused);
  CHECK(directory.error().message().find("connecting to https://127.0.0.1:") != std::string::npos);
}

TEST_CASE("a CA that never answers runs into the request's deadline") {
  test::CannedServer silent({});
  test::AcmeShard acme(silent.url("/dir"), {}, std::chrono::milliseconds(200));
  auto directory = fetch_directory(acme);
  REQUIRE_FALSE(directory.ok());
  INFO(directory.error().message());
  CHECK(directory.error().code() == std::errc::timed_out);
}

TEST_CASE("a request is cancelled with the coroutine that awaits it") {
  test::CannedServer silent({});
  // A deadline far beyond the test's own limit: only cancellation ends it.
  test::AcmeShard acme(silent.url("/dir"), {}, std::chrono::hours(1));
  auto outcome = acme.run([&]() -> asio::awaitable<int> {
    asio::steady_timer soon(co_await asio::this_coro::executor, std::chrono::milliseconds(50));
    auto first = co_await (acme.client->directory() || soon.async_wait(asio::use_awaitable));
    co_return static_cast<int>(first.index());
  });
  CHECK(outcome == 1);
}

TEST_CASE("badNonce is retried with the nonce that came with it") {
  auto replies = directory_and_nonce();
  replies.push_back(problem(400, "badNonce", "fresh-nonce"));
  replies.push_back({200, R"({"status":"valid"})", {{"Replay-Nonce", "next-nonce"}}});
  test::CannedServer real(std::move(replies));
  test::AcmeShard acme(real.url("/dir"));
  acme.client->set_account_url(real.url("/account/1"));
  auto answer = post_as_get(acme, real.url("/account/1"));
  INFO((answer.ok() ? "" : answer.error().message()));
  REQUIRE(answer.ok());
  CHECK(acme.client->bad_nonce_retries() == 1);
  const auto requests = real.requests();
  REQUIRE(requests.size() == 4);
  CHECK(requests[1] == "HEAD /nonce");
  const auto bodies = real.bodies();
  CHECK(protected_header(bodies[2]).find(R"("nonce":"first-nonce")") != std::string::npos);
  CHECK(protected_header(bodies[3]).find(R"("nonce":"fresh-nonce")") != std::string::npos);
}

TEST_CASE("a CA that refuses every nonce ends in a badNonce error, not a loop") {
  auto replies = directory_and_nonce();
  replies.push_back(problem(400, "badNonce", "another-nonce"));
  test::CannedServer ca(std::move(replies));
  test::AcmeShard acme(ca.url("/dir"));
  acme.client->set_account_url(ca.url("/account/1"));
  auto answer = post_as_get(acme, ca.url("/account/1"));
  REQUIRE_FALSE(answer.ok());
  INFO(answer.error().message());
  CHECK(answer.error().code() == ProblemType::BadNonce);
  const auto requests = ca.requests();
  CHECK(std::count(requests.begin(), requests.end(), "POST /account/1") ==
        1 + static_cast<long>(acme.client->bad_nonce_retries()));
  CHECK(acme.client->bad_nonce_retries() < 10);
}

TEST_CASE("a rate limit is a typed error carrying the CA's Retry-After") {
  auto replies = directory_and_nonce();
  replies.push_back(problem(429, "rateLimited", "n2", {{"Retry-After", "120"}}));
  test::CannedServer ca(std::move(replies));
  test::AcmeShard acme(ca.url("/dir"));
  acme.client->set_account_url(ca.url("/account/1"));
  auto answer = post_as_get(acme, ca.url("/account/1"));
  REQUIRE_FALSE(answer.ok());
  INFO(answer.error().message());
  CHECK(answer.error().code() == ProblemType::RateLimited);
  CHECK(answer.error().retry_after() == std::chrono::seconds(120));
  CHECK(answer.error().message().starts_with("POST " + ca.url("/account/1")));
}
