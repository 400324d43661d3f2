// The round-trip check every API type must pass on its manifests: decode,
// encode, decode again. Shared by the codec tests of each resource.
#pragma once

#include <string>

#include <catch2/catch.hpp>

#include "core/api/codec.hpp"
#include "tests/support/canonical_json.hpp"
#include "tests/support/files.hpp"

namespace certmill::test {

// Decodes the manifest, then checks that encoding kept every field it had
// (a misspelt schema name would drop one), that decoding the encoding gives an
// equal struct, and that encoding is stable.
template <class T>
void check_round_trip(const std::string& manifest) {
  INFO(manifest);
  const std::string text = read_file(manifest);
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
