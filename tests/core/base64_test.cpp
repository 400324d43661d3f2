// Standard padded base64, as Secret data and caBundle fields carry it.
#include "core/base64.hpp"

#include <string>

#include <catch2/catch.hpp>

using namespace certmill;

TEST_CASE("base64 encodes and decodes RFC 4648's vectors") {
  const std::pair<const char*, const char*> cases[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : cases) {
    CHECK(base64_encode(plain) == encoded);
    auto decoded = base64_decode(encoded);
    REQUIRE(decoded.ok());
    CHECK(*decoded == plain);
  }
}

TEST_CASE("every byte value survives base64") {
  std::string all;
  for (int i = 0; i < 256; ++i)
    all.push_back(static_cast<char>(i));
  for (std::size_t len = 0; len <= all.size(); len += 37) {
    const std::string bytes = all.substr(all.size() - len);
    auto decoded = base64_decode(base64_encode(bytes));
    REQUIRE(decoded.ok());
    CHECK(*decoded == bytes);
  }
  CHECK(base64_encode(std::string("\xfb\xff\xbf", 3)) == "+/+/");
}

TEST_CASE("invalid base64 is refused") {
  const char* cases[] = {
      "Zg",        // unpadded
      "Zg=",       // short padding
      "Zm9vY",     // length
      "Z===",      // too much padding
      "====",      // padding only
      "Zg=a",      // data after padding
      "=Zm9",      // padding first
      "Zg==Zm9v",  // padding mid-stream
      "Zm9v\n",    // newline
      "Zm 9",      // space
      "Zm-_",      // URL-safe alphabet
      "Zm9\xff",   // non-ASCII
  };
  for (const char* text : cases) {
    INFO(text);
    auto r = base64_decode(text);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code() == Errc::invalid_value);
    CHECK_THAT(r.error().message(), Catch::StartsWith("invalid base64: "));
  }
}

TEST_CASE("non-zero trailing bits are accepted, as Go's StdEncoding does") {
  auto r = base64_decode("Zh==");
  REQUIRE(r.ok());
  CHECK(*r == "f");
}
