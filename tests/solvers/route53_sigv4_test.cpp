// SigV4 on a Route 53-shaped request, checked by what must change its
// signature and what must not; the inputs the signer refuses; its encodings.
#include <catch2/catch.hpp>

#include "core/http_url.hpp"
#include "solvers/dns/route53/api.hpp"
#include "solvers/dns/route53/sigv4.hpp"
#include "tests/solvers/route53_test_support.hpp"

using namespace certmill;
using namespace certmill::solvers::route53;
using namespace route53_test;

namespace {

SigningRequest route53_request(std::string_view body) {
  return {"POST",
          "/2013-04-01/hostedzone/Z123/rrset",
          {},
          {{"Host", "route53.amazonaws.com"}, {"Content-Type", "text/xml"}},
          body};
}

}  // namespace

TEST_CASE("SigV4 adds X-Amz-Date, the session token and Authorization, in that order",
          "[route53]") {
  Credentials keys = kSuiteKeys;
  keys.session_token = "token";
  const auto s = sign_v4(route53_request("<x/>"), keys, "us-east-1", "route53", kSuiteTime);
  REQUIRE(s.ok());
  REQUIRE(s->headers.size() == 3);
  CHECK(s->headers[0].name == "X-Amz-Date");
  CHECK(s->headers[1].name == "X-Amz-Security-Token");
  CHECK(s->headers[1].value == "token");
  CHECK(s->headers[2].name == "Authorization");
  CHECK_THAT(s->headers[2].value,
             Catch::Contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token,"));
  CHECK_THAT(s->canonical_request, Catch::Contains("\nx-amz-security-token:token\n"));
}

TEST_CASE("a Route 53 change request's signature covers its path, body, time and token",
          "[route53]") {
  const std::string body =
      change_request_body({ChangeAction::upsert, "_acme-challenge.example.com.", {60, {"abc"}}})
          .value();
  const auto base = sign_v4(route53_request(body), kSuiteKeys, "us-east-1", "route53", kSuiteTime);
  REQUIRE(base.ok());
  CHECK(
      base->canonical_request.starts_with("POST\n/2013-04-01/hostedzone/Z123/rrset\n\n"
                                          "content-type:text/xml\nhost:route53.amazonaws.com\n"
                                          "x-amz-date:20150830T123600Z\n\n"
                                          "content-type;host;x-amz-date\n"));
  CHECK(base->canonical_request.ends_with(sha256_hex(body)));
  CHECK_THAT(base->string_to_sign, Catch::Contains("\n20150830/us-east-1/route53/aws4_request\n"));
  CHECK(header(*base, "Authorization")
            .starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/route53/"
                         "aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature="));

  // Signing is a function of its inputs.
  CHECK(sign_v4(route53_request(body), kSuiteKeys, "us-east-1", "route53", kSuiteTime)->signature ==
        base->signature);

  // Each body byte is covered.
  for (std::size_t i = 0; i < body.size(); i += 17) {
    std::string changed = body;
    changed[i] ^= 1;
    CHECK(sign_v4(route53_request(changed), kSuiteKeys, "us-east-1", "route53", kSuiteTime)
              ->signature != base->signature);
  }
  // The path, the time, the region, the service and the secret.
  SigningRequest other_zone = route53_request(body);
  other_zone.path = "/2013-04-01/hostedzone/Z124/rrset";
  CHECK(sign_v4(other_zone, kSuiteKeys, "us-east-1", "route53", kSuiteTime)->signature !=
        base->signature);
  const auto later =
      sign_v4(route53_request(body), kSuiteKeys, "us-east-1", "route53", kSuiteTime + 1s);
  CHECK(header(*later, "X-Amz-Date") == "20150830T123601Z");
  CHECK(later->signature != base->signature);
  CHECK(sign_v4(route53_request(body), kSuiteKeys, "eu-west-1", "route53", kSuiteTime)->signature !=
        base->signature);
  CHECK(sign_v4(route53_request(body), kSuiteKeys, "us-east-1", "sts", kSuiteTime)->signature !=
        base->signature);
  Credentials other_secret = kSuiteKeys;
  other_secret.secret_access_key.back() = 'X';
  const auto forged =
      sign_v4(route53_request(body), other_secret, "us-east-1", "route53", kSuiteTime);
  CHECK(forged->canonical_request == base->canonical_request);
  CHECK(forged->signature != base->signature);

  // A session token is sent and signed.
  Credentials with_token = kSuiteKeys;
  with_token.session_token = "FwoGZXIvYXdzEXAMPLE";
  const auto temporary =
      sign_v4(route53_request(body), with_token, "us-east-1", "route53", kSuiteTime);
  CHECK(header(*temporary, "X-Amz-Security-Token") == "FwoGZXIvYXdzEXAMPLE");
  CHECK_THAT(temporary->canonical_request,
             Catch::Contains("x-amz-security-token:FwoGZXIvYXdzEXAMPLE\n"));
  CHECK(temporary->signature != base->signature);
}

TEST_CASE("SigV4 refuses what cannot be signed safely", "[route53]") {
  const auto refuses = [](SigningRequest request, Credentials keys = kSuiteKeys,
                          std::string_view region = "us-east-1") {
    const auto s = sign_v4(request, keys, region, "route53", kSuiteTime);
    return !s.ok() && s.error().code() == Errc::invalid_argument;
  };
  const SigningRequest good = route53_request("");
  CHECK(sign_v4(good, kSuiteKeys, "us-east-1", "route53", kSuiteTime).ok());

  SigningRequest r = good;
  r.headers = {{"Content-Type", "text/xml"}};
  CHECK(refuses(r));  // no Host
  for (const char* added : {"X-Amz-Date", "x-amz-security-token", "Authorization"}) {
    r = good;
    r.headers.push_back({added, "x"});
    CHECK(refuses(r));
  }
  for (const char* name : {"", "Bad Name", "Bad:Name", "Bad\nName"}) {
    r = good;
    r.headers.push_back({name, "x"});
    CHECK(refuses(r));
  }
  for (const char* value : {"a\r\nX-Injected: 1", "a\nb", "a\x7F"}) {
    r = good;
    r.headers.push_back({"X-Test", value});
    CHECK(refuses(r));
  }
  r = good;
  r.headers.push_back({"X-Test", std::string("a\0b", 3)});
  CHECK(refuses(r));
  CHECK(refuses(good, {"AKID", "secret", "token\r\nX-Injected: 1"}));
  CHECK(refuses(good, {"", "secret", ""}));
  CHECK(refuses(good, {"AKID", "", ""}));
  CHECK(refuses(good, kSuiteKeys, ""));
}

TEST_CASE("SigV4's encodings: RFC 3986 unreserved characters only, sorted queries", "[route53]") {
  CHECK(url_escape(kUnreserved) == kUnreserved);
  CHECK(url_escape("a b/c=d&e+f%") == "a%20b%2Fc%3Dd%26e%2Bf%25");
  CHECK(url_escape("\xC3\xA9\xFF") == "%C3%A9%FF");
  CHECK(canonical_query({}) == "");
  CHECK(canonical_query({{"type", "TXT"}, {"name", "_acme-challenge.example.com."}, {"e", ""}}) ==
        "e=&name=_acme-challenge.example.com.&type=TXT");
  // Sorted by the encoded names: '%' (0x25) sorts before letters.
  CHECK(canonical_query({{"b", "1"}, {" a", "2"}}) == "%20a=2&b=1");
  CHECK(sha256_hex("") == kEmptyHash);
  CHECK(sha256_hex("Param1=value1") ==
        "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
}
