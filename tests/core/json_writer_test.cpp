// JsonWriter's strings: RFC 8259 escapes, valid UTF-8 kept, and any byte
// that is not valid UTF-8 written as U+FFFD (as Go's encoding/json does), so
// text from outside never makes a document a parser refuses. What it writes
// is read back with certmill's own decoder.
#include <catch2/catch.hpp>

#include "core/json/codec.hpp"
#include "core/json/writer.hpp"

using namespace certmill;

namespace {

std::string written_as(std::string_view value) {
  json::JsonWriter w;
  w.string(value);
  return w.take();
}

}  // namespace

TEST_CASE("JsonWriter escapes quotes, backslashes and control characters") {
  CHECK(written_as("a\"b\\c") == R"("a\"b\\c")");
  CHECK(written_as("\n\r\t\b\f") == R"("\n\r\t\b\f")");
  CHECK(written_as(std::string("\x01\x1f\0", 3)) == R"("\u0001\u001f\u0000")");
}

TEST_CASE("JsonWriter keeps valid UTF-8 and replaces every invalid byte with U+FFFD") {
  CHECK(written_as("\xc3\xa9xample \xe2\x82\xac \xf0\x9f\x94\x92") ==
        "\"\xc3\xa9xample \xe2\x82\xac \xf0\x9f\x94\x92\"");
  const struct {
    std::string in;
    std::string out;
  } cases[] = {
      {"nonce\xff", R"("nonce\ufffd")"},
      {"\xc0\xaf", R"("\ufffd\ufffd")"},                      // overlong '/'
      {"\xed\xa0\x80", R"("\ufffd\ufffd\ufffd")"},            // a surrogate
      {"\xf4\x90\x80\x80", R"("\ufffd\ufffd\ufffd\ufffd")"},  // past U+10FFFF
      {"\xe2\x82", R"("\ufffd\ufffd")"},                      // cut short
      {"a\x80z", R"("a\ufffdz")"},                            // a lone continuation byte
  };
  for (const auto& c : cases) {
    INFO(c.out);
    const std::string written = written_as(c.in);
    CHECK(written == c.out);
    // Always a document a parser takes (simdjson validates UTF-8).
    CHECK(json::parse_document(written).ok());
  }
}
