// Link and Retry-After headers as CAs send them, and as broken servers and
// proxies might.
#include "core/acme/link.hpp"

#include <catch2/catch.hpp>

using namespace certmill;
using namespace certmill::acme;
using namespace std::chrono;

namespace {

using Targets = std::vector<std::string>;

const Time kNow = sys_days(year(2026) / 3 / 1) + hours(12);

}  // namespace

TEST_CASE("RFC 8555's alternate and up links are found") {
  CHECK(link_targets(R"(<https://example.com/acme/cert/mAt3xBGaobw/1>;rel="alternate")",
                     "alternate") == Targets{"https://example.com/acme/cert/mAt3xBGaobw/1"});
  CHECK(link_targets(R"(<https://example.com/acme/directory>;rel="index")", "alternate").empty());
  CHECK(link_targets("<https://ca/issuer>; rel=up", "up") == Targets{"https://ca/issuer"});
}

TEST_CASE("several links in one header are returned in order") {
  const std::string header =
      R"(<https://ca/chain/1>; rel="alternate", <https://ca/issuer>;rel=up ,)"
      R"(  <https://ca/chain/2> ;  rel = "alternate"  , <https://ca/dir>;rel="index")";
  CHECK(link_targets(header, "alternate") == Targets{"https://ca/chain/1", "https://ca/chain/2"});
  CHECK(link_targets(header, "up") == Targets{"https://ca/issuer"});
  CHECK(link_targets(std::vector<std::string>{R"(<https://a/1>;rel="alternate")",
                                              R"(<https://a/2>;rel="alternate", <u>;rel=up)"},
                     "alternate") == Targets{"https://a/1", "https://a/2"});
}

TEST_CASE("rel lists, case and quoted parameters are handled as RFC 8288 says") {
  CHECK(link_targets(R"(<https://a/x>; rel="up alternate")", "alternate") ==
        Targets{"https://a/x"});
  CHECK(link_targets(R"(<https://a/x>; REL="Alternate")", "alternate") == Targets{"https://a/x"});
  CHECK(link_targets(R"(<https://a/x>; title="a, b; rel=up"; rel="alternate")", "up").empty());
  CHECK(link_targets(R"(<https://a/x>; title="a, \"b\"; c"; rel="alternate")", "alternate") ==
        Targets{"https://a/x"});
  CHECK(link_targets(R"(<https://a/x,y;z>; rel=alternate)", "alternate") ==
        Targets{"https://a/x,y;z"});
  // Only the first rel counts.
  CHECK(link_targets(R"(<https://a/x>; rel="index"; rel="alternate")", "alternate").empty());
  CHECK(link_targets(R"(<https://a/x>; crossorigin; rel=alternate)", "alternate") ==
        Targets{"https://a/x"});
  CHECK(link_targets(R"(<https://a/x>; rel="alternatex")", "alternate").empty());
}

TEST_CASE("a malformed link is skipped and the rest still count") {
  CHECK(link_targets(R"(garbage, <https://ok/1>; rel=alternate)", "alternate") ==
        Targets{"https://ok/1"});
  CHECK(link_targets(R"(<https://bad>; rel="alternate"; =x, <https://ok/2>; rel=alternate)",
                     "alternate") == Targets{"https://ok/2"});
  CHECK(
      link_targets(R"(<https://bad>; title="unterminated, <https://x>; rel=alternate)", "alternate")
          .empty());
  CHECK(link_targets("<https://unterminated; rel=alternate", "alternate").empty());
  CHECK(link_targets("", "alternate").empty());
  CHECK(link_targets(",,, ,", "alternate").empty());
  CHECK(link_targets(R"(<https://a/x>; rel=)", "alternate").empty());
  CHECK(link_targets(R"(<https://a/x>; rel="alternate\)", "alternate").empty());
  CHECK(link_targets(std::string(100000, '<'), "alternate").empty());
}

TEST_CASE("Retry-After in delta-seconds") {
  CHECK(parse_retry_after("120", kNow) == seconds(120));
  CHECK(parse_retry_after(" 7 ", kNow) == seconds(7));
  CHECK(parse_retry_after("0", kNow) == seconds(0));
  CHECK(parse_retry_after("000042", kNow) == seconds(42));
  // A year is honoured; beyond a century saturates instead of overflowing.
  CHECK(parse_retry_after("31536000", kNow) == hours(24 * 365));
  CHECK(parse_retry_after("99999999999999999999999999999999", kNow) == hours(24 * 36525));
}

TEST_CASE("Retry-After as an HTTP-date in all three forms") {
  const Time later = sys_days(year(2026) / 3 / 1) + hours(13) + minutes(30);
  CHECK(parse_retry_after("Sun, 01 Mar 2026 13:30:00 GMT", kNow) == minutes(90));
  CHECK(parse_retry_after("Sunday, 01-Mar-26 13:30:00 GMT", kNow) == minutes(90));
  CHECK(parse_retry_after("Sun Mar  1 13:30:00 2026", kNow) == minutes(90));
  CHECK(parse_http_date("Sun Mar 11 13:30:00 2026") == later + days(10));
  CHECK(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT") ==
        sys_days(year(1994) / 11 / 6) + hours(8) + minutes(49) + seconds(37));
  CHECK(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT") ==
        parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"));
  // A year ahead.
  CHECK(parse_retry_after("Mon, 01 Mar 2027 12:00:00 GMT", kNow) == hours(24 * 365));
}

TEST_CASE("a Retry-After date in the past means now") {
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", kNow) == seconds(0));
  CHECK(parse_retry_after("Sun, 01 Mar 2026 12:00:00 GMT", kNow) == seconds(0));
  CHECK(parse_retry_after("Sun, 01 Mar 2026 12:00:01 GMT", kNow) == seconds(1));
}

TEST_CASE("a garbage Retry-After is absent, not zero") {
  for (const char* bad :
       {"", "   ", "-5", "+5", "1.5", "5s", "soon", "0x10", "Sun, 31 Feb 2026 12:00:00 GMT",
        "Sun, 01 Mar 2026 25:00:00 GMT", "Sun, 01 Mar 2026 12:00:00 UTC",
        "Sun, 01 Mar 2026 12:00:00", "Sun, 01 Foo 2026 12:00:00 GMT",
        "Xyz, 01 Mar 2026 12:00:00 GMT", "Sunday, 01-Mar-2026 12:00:00 GMT",
        "Sun Mar 1 13:30:00 2026", "2026-03-01T12:00:00Z", "Sun, 01 Mar 2026 12:60:00 GMT"}) {
    INFO(bad);
    CHECK_FALSE(parse_retry_after(bad, kNow));
  }
}
