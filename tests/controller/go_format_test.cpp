// Go's formatting of values in cert-manager's messages, which certmill's
// conditions and Events copy: %q of a string, %v of a []string.
#include "controller/go_format.hpp"

#include <catch2/catch.hpp>

using namespace certmill::controller;

TEST_CASE("go_quoted escapes as fmt's %q does") {
  CHECK(go_quoted("a.example.com") == "\"a.example.com\"");
  CHECK(go_quoted("") == "\"\"");
  CHECK(go_quoted("say \"hi\"\\") == "\"say \\\"hi\\\"\\\\\"");
  CHECK(go_quoted("a\nb\tc\rd") == "\"a\\nb\\tc\\rd\"");
  CHECK(go_quoted(std::string("\x01\x7f", 2)) == "\"\\x01\\x7f\"");
}

TEST_CASE("go_list prints a slice as %v does") {
  CHECK(go_list({}) == "[]");
  CHECK(go_list({"spec.dnsNames", "spec.usages"}) == "[spec.dnsNames spec.usages]");
}
