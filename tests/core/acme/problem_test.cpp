// Problem documents: typed ACME errors, lenient reading, and bodies that are not
// problem documents at all.
#include "core/acme/problem.hpp"

#include <catch2/catch.hpp>

using namespace certmill;
using namespace certmill::acme;

TEST_CASE("RFC 8555 §6.7.1's example keeps its subproblems and identifiers") {
  auto p = decode_problem(R"({
    "type": "urn:ietf:params:acme:error:malformed",
    "detail": "Some of the identifiers requested were rejected",
    "subproblems": [
      {"type": "urn:ietf:params:acme:error:malformed",
       "detail": "Invalid underscore in DNS name \"_example.org\"",
       "identifier": {"type": "dns", "value": "_example.org"}},
      {"type": "urn:ietf:params:acme:error:rejectedIdentifier",
       "detail": "This CA will not issue for \"example.net\"",
       "identifier": {"type": "dns", "value": "example.net"}}
    ]})");
  REQUIRE(p.ok());
  CHECK(p->type == ProblemType::Malformed);
  CHECK(p->detail == "Some of the identifiers requested were rejected");
  REQUIRE(p->subproblems.size() == 2);
  CHECK(p->subproblems[0].identifier == Identifier{"dns", "_example.org"});
  CHECK(p->subproblems[1].type == ProblemType::RejectedIdentifier);
  CHECK(p->subproblems[1].identifier == Identifier{"dns", "example.net"});
  const Error e = problem_error(*p);
  CHECK(e.code() == ProblemType::Malformed);
  CHECK(e.message().find("dns example.net: This CA will not issue") != std::string::npos);
}

TEST_CASE("badNonce and rateLimited are told apart by type and by error code") {
  auto nonce = decode_problem(
      R"({"type":"urn:ietf:params:acme:error:badNonce","detail":"JWS has an invalid anti-replay nonce","status":400})");
  auto limit = decode_problem(
      R"({"type":"urn:ietf:params:acme:error:rateLimited","detail":"too many new orders","status":429})");
  REQUIRE(nonce.ok());
  REQUIRE(limit.ok());
  CHECK(nonce->type == ProblemType::BadNonce);
  CHECK(nonce->status == 400);
  CHECK(limit->type == ProblemType::RateLimited);
  CHECK(problem_error(*nonce).code() == ProblemType::BadNonce);
  CHECK(problem_error(*limit).code() == ProblemType::RateLimited);
  CHECK(problem_error(*limit).code() != ProblemType::BadNonce);
  CHECK(problem_error(*limit).code() != Errc::invalid_value);
  CHECK(problem_error(*limit).message() ==
        "urn:ietf:params:acme:error:rateLimited (HTTP 429): too many new orders");
  CHECK(problem_error(*limit).code().message() == "rateLimited");
}

TEST_CASE("every ACME error type round-trips through its name") {
  for (int i = static_cast<int>(ProblemType::AccountDoesNotExist);
       i <= static_cast<int>(ProblemType::UserActionRequired); ++i) {
    const auto type = static_cast<ProblemType>(i);
    const std::string urn = "urn:ietf:params:acme:error:" + std::string(problem_type_name(type));
    CHECK(problem_type_of(urn) == type);
  }
  CHECK(problem_type_of("urn:ietf:params:acme:error:alreadyReplaced") ==
        ProblemType::AlreadyReplaced);
  CHECK(problem_type_of("urn:ietf:params:acme:error:orderNotReady") == ProblemType::OrderNotReady);
}

TEST_CASE("an unknown type is kept as text") {
  for (const char* type : {"urn:ietf:params:acme:error:somethingNew", "about:blank",
                           "https://ca.test/errors/quota", "urn:ietf:params:acme:error:"}) {
    auto p = decode_problem(std::string(R"({"type":")") + type + R"(","detail":"d"})");
    REQUIRE(p.ok());
    CHECK(p->type == ProblemType::Other);
    CHECK(p->type_uri == type);
    CHECK(problem_error(*p).message().find(type) != std::string::npos);
  }
}

TEST_CASE("members of a surprising type are skipped, not fatal") {
  auto p = decode_problem(
      R"({"type":7,"detail":["x"],"status":"429","identifier":"dns","subproblems":{"a":1},"extra":null})");
  REQUIRE(p.ok());
  CHECK(p->type == ProblemType::Other);
  CHECK(p->type_uri.empty());
  CHECK(p->detail.empty());
  CHECK(p->status == 0);
  CHECK_FALSE(p->identifier);
  CHECK(p->subproblems.empty());
  auto odd_status = decode_problem(R"({"status":99999999999})");
  REQUIRE(odd_status.ok());
  CHECK(odd_status->status == 0);
}

TEST_CASE("subproblems are read one level deep") {
  auto p = decode_problem(
      R"({"type":"urn:ietf:params:acme:error:compound","subproblems":[{"type":"urn:ietf:params:acme:error:caa","subproblems":[{"type":"x"}]},7,"s"]})");
  REQUIRE(p.ok());
  REQUIRE(p->subproblems.size() == 1);
  CHECK(p->subproblems[0].type == ProblemType::Caa);
  CHECK(p->subproblems[0].subproblems.empty());
}

TEST_CASE("text that is not a problem document is an error, not a crash") {
  for (const char* bad : {"", "null", "[]", "\"text\"", "{", "{\"type\":", "<html>502</html>",
                          "{\"a\":1}{\"b\":2}"}) {
    INFO(bad);
    CHECK_FALSE(decode_problem(bad).ok());
  }
  const std::string deep = std::string(5000, '[') + std::string(5000, ']');
  CHECK_FALSE(decode_problem(deep).ok());
}

TEST_CASE("any error response becomes a Problem with the HTTP status") {
  const Problem html = problem_from_response(
      502, "<html>\r\n<body>\tBad\x01 Gateway\xff</body>\n</html>" + std::string(500, 'x'));
  CHECK(html.type == ProblemType::Other);
  CHECK(html.status == 502);
  CHECK(html.detail.starts_with("response body: <html> <body> Bad Gateway?</body> </html>xxx"));
  CHECK(html.detail.ends_with("..."));
  CHECK(html.detail.size() < 230);

  const Problem empty = problem_from_response(503, "");
  CHECK(empty.status == 503);
  CHECK(empty.detail == "empty response body");

  const Problem typed =
      problem_from_response(400, R"({"type":"urn:ietf:params:acme:error:badNonce"})");
  CHECK(typed.type == ProblemType::BadNonce);
  CHECK(typed.status == 400);
  const Problem own_status = problem_from_response(
      400, R"({"type":"urn:ietf:params:acme:error:rateLimited","status":429})");
  CHECK(own_status.status == 429);
}
