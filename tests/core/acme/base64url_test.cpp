// base64url without padding: RFC 4648's vectors in the url-safe alphabet, and
// what must be refused.
#include "core/acme/base64url.hpp"

#include <catch2/catch.hpp>

using namespace certmill;
using namespace certmill::acme;

TEST_CASE("base64url encodes RFC 4648's vectors without padding") {
  const std::pair<const char*, const char*> cases[] = {
      {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},          {"foo", "Zm9v"},
      {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : cases) {
    CHECK(base64url_encode(plain) == encoded);
    auto decoded = base64url_decode(encoded);
    REQUIRE(decoded.ok());
    CHECK(*decoded == plain);
  }
}

TEST_CASE("base64url uses - and _ where base64 uses + and /") {
  const std::string bytes("\xfb\xff\xbf", 3);
  CHECK(base64url_encode(bytes) == "-_-_");
  auto decoded = base64url_decode("-_-_");
  REQUIRE(decoded.ok());
  CHECK(*decoded == bytes);
}

TEST_CASE("base64url refuses padding, the standard alphabet and impossible lengths") {
  for (const char* bad : {"Zg==", "Zm8=", "+/+/", "Zm9v YQ", "Z", "Zm9vY", "%41"}) {
    INFO(bad);
    auto decoded = base64url_decode(bad);
    REQUIRE_FALSE(decoded.ok());
    CHECK(decoded.error().code() == Errc::invalid_value);
  }
}

TEST_CASE("is_base64url accepts only a non-empty url-safe string") {
  CHECK(is_base64url("evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA"));
  CHECK_FALSE(is_base64url(""));
  CHECK_FALSE(is_base64url("../etc/passwd"));
  CHECK_FALSE(is_base64url("abc="));
  CHECK_FALSE(is_base64url("a b"));
  CHECK_FALSE(is_base64url(std::string_view("ab\0c", 4)));
}
