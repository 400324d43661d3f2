// Loading the manifests of tests/core/manifests/ and the round-trip check
// every API type must pass on them: decode, encode, decode again.
#pragma once

#include <string>

#include <catch2/catch.hpp>

#include "core/api/codec.hpp"
#include "tests/support/canonical_json.hpp"
#include "tests/support/files.hpp"

namespace certmill::test {

// Decodes tests/core/manifests/<name> as a T; a decoding error fails the test.
template <class T>
T load_manifest(const std::string& name) {
  auto r = api::decode<T>(read_file("tests/core/manifests/" + name));
  if (!r.ok())
    FAIL(r.error().message());
  return std::move(r).value();
}

// Decodes the manifest, then checks that encoding kept every field it had
// (a misspelt schema name would drop one), that decoding the encoding gives an
// equal struct, and that encoding is stable.
template <class T>
void check_round_trip(const std::string& name) {
  INFO(name);
  const std::string text = read_file("tests/core/manifests/" + name);
  auto first = api::decode<T>(text);
  if (!first.ok())
    FAIL(first.error().message());
  const std::string once = api::encode(*first);
  CHECK(canonical_json(once) == canonical_json(text));
  auto second = api::decode<T>(once);
  if (!second.ok())
    FAIL(second.error().message());
  CHECK(*second == *first);
  CHECK(api::encode(*second) == once);
}

}  // namespace certmill::test
