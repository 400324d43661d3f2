// The HTTP-01 self-check's verdict on one answer: the key, a redirect, or
// cert-manager's wording of what is wrong; a hostile body quoted safely.
#include "solvers/http01/self_check_answer.hpp"

#include <catch2/catch.hpp>

using namespace certmill;
using solvers::HttpTarget;
using solvers::judge_answer;
using solvers::redirect_target;

namespace {

const HttpTarget kAsked{"shop.example.com", 80, "/.well-known/acme-challenge/tok"};
const std::string kKey = "tok.thumbprint";

}  // namespace

TEST_CASE("the key authorization passes, with trailing whitespace ignored") {
  for (const char* body : {"tok.thumbprint", "tok.thumbprint\n", "tok.thumbprint \r\n\t"}) {
    const auto verdict = judge_answer(kAsked, 200, "", body, kKey);
    CHECK(verdict.status.ok());
    CHECK_FALSE(verdict.redirect_to);
  }
}

TEST_CASE("another status is cert-manager's wrong status code") {
  for (unsigned status : {404u, 500u, 503u, 204u, 201u, 304u}) {
    const auto verdict = judge_answer(kAsked, status, "", "tok.thumbprint", kKey);
    REQUIRE_FALSE(verdict.status.ok());
    CHECK(verdict.status.error().message() ==
          "wrong status code '" + std::to_string(status) +
              "', expected '200' from http://shop.example.com/.well-known/acme-challenge/tok");
  }
}

TEST_CASE("another body says what was expected and what came back") {
  auto verdict = judge_answer(kAsked, 200, "", "default backend - 404", kKey);
  REQUIRE_FALSE(verdict.status.ok());
  CHECK(verdict.status.error().message() ==
        "did not get expected response when querying endpoint "
        "http://shop.example.com/.well-known/acme-challenge/tok, expected \"tok.thumbprint\" "
        "but got: \"default backend - 404\"");
  CHECK_FALSE(judge_answer(kAsked, 200, "", "", kKey).status.ok());
  CHECK_FALSE(judge_answer(kAsked, 200, "", " tok.thumbprint", kKey).status.ok());
  CHECK_FALSE(judge_answer(kAsked, 200, "", "tok.thumbprintx", kKey).status.ok());
}

TEST_CASE("a hostile body is quoted short and printable") {
  const std::string body = std::string("\x1b[31mred\n\"quoted\"\\") + std::string(200, 'a');
  auto verdict = judge_answer(kAsked, 200, "", body, kKey);
  REQUIRE_FALSE(verdict.status.ok());
  const std::string& message = verdict.status.error().message();
  CHECK(message.find("\\x1b[31mred\\x0a\\x22quoted\\x22\\x5c") != std::string::npos);
  CHECK(message.find("(truncated)") != std::string::npos);
  CHECK(message.find('\n') == std::string::npos);
  CHECK(message.find('\x1b') == std::string::npos);
  CHECK(message.size() < 300);
}

TEST_CASE("redirects to http:// URLs and paths are followed") {
  for (unsigned status : {301u, 302u, 303u, 307u, 308u}) {
    auto verdict = judge_answer(kAsked, status, "/elsewhere", "", kKey);
    REQUIRE(verdict.status.ok());
    REQUIRE(verdict.redirect_to);
    CHECK(*verdict.redirect_to == HttpTarget{"shop.example.com", 80, "/elsewhere"});
  }
  const HttpTarget on_port{"shop.example.com", 8089, "/a"};
  auto relative = redirect_target(on_port, "/b?x=1");
  REQUIRE(relative.ok());
  CHECK(*relative == HttpTarget{"shop.example.com", 8089, "/b?x=1"});
  auto absolute = redirect_target(kAsked, "http://other.example.com:8080/x/y");
  REQUIRE(absolute.ok());
  CHECK(*absolute == HttpTarget{"other.example.com", 8080, "/x/y"});
  auto bare = redirect_target(kAsked, "HTTP://Other.example.com");
  REQUIRE(bare.ok());
  CHECK(*bare == HttpTarget{"Other.example.com", 80, "/"});
  auto v6 = redirect_target(kAsked, "http://[::1]:81/p");
  REQUIRE(v6.ok());
  CHECK(*v6 == HttpTarget{"::1", 81, "/p"});
  CHECK(solvers::describe(*v6) == "http://[::1]:81/p");
  CHECK(solvers::authority(*v6) == "[::1]:81");
  CHECK(solvers::authority(kAsked) == "shop.example.com");
}

TEST_CASE("redirects the self-check cannot follow say why") {
  const std::pair<const char*, const char*> cases[] = {
      {"https://shop.example.com/.well-known/acme-challenge/tok", "plain HTTP"},
      {"", "an empty Location"},
      {"ftp://shop.example.com/", "not an http:// URL"},
      {"//shop.example.com/x", "not an http:// URL"},
      {"relative/path", "not an http:// URL"},
      {"http:///x", "no host"},
      {"http://user:pass@shop.example.com/", "credentials"},
      {"http://shop.example.com:0/", "port"},
      {"http://shop.example.com:99999/", "port"},
      {"http://shop.example.com:80a/", "port"},
      {"http://[::1/", "no \"]\""},
      {"http://[::1]x/", "not a port"},
      {"http://sh op.example.com/", "not a name or an address"},
  };
  for (const auto& [location, says] : cases) {
    INFO(location);
    auto verdict = judge_answer(kAsked, 302, location, "", kKey);
    REQUIRE_FALSE(verdict.status.ok());
    INFO(verdict.status.error().message());
    CHECK(verdict.status.error().message().find(says) != std::string::npos);
    CHECK(verdict.status.error().message().find("redirects to") != std::string::npos);
  }
}
