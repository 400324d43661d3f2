// parse_port: every port, and the texts that are not one.
#include "core/port.hpp"

#include <catch2/catch.hpp>

using certmill::parse_port;

TEST_CASE("every port from 1 to 65535 parses to itself") {
  for (unsigned p = 1; p <= 65535; ++p) {
    const auto parsed = parse_port(std::to_string(p));
    REQUIRE(parsed);
    REQUIRE(*parsed == p);
  }
  CHECK(parse_port("0080") == 80);
}

TEST_CASE("texts that are not a port are refused") {
  for (const char* text : {"", "0", "00", "65536", "99999999999", "-1", "+1", " 1", "1 ", "1a",
                           "0x10", "8.0", ":80"}) {
    INFO(text);
    CHECK_FALSE(parse_port(text));
  }
}
