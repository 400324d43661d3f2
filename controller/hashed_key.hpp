// A 128-bit stand-in for a string key (a uid, a "namespace/name") in the
// runtime's per-Certificate indexes: 16 bytes in place of a string that does
// not fit the short-string buffer. Two independent 64-bit hashes (the
// standard library's and FNV-1a); a collision of both among one shard's
// objects is not a practical concern.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>

#include "controller/digest.hpp"

namespace certmill::controller {

struct HashedKey {
  uint64_t high = 0;
  uint64_t low = 0;
  bool operator==(const HashedKey&) const = default;

  static HashedKey of(std::string_view text) {
    return {std::hash<std::string_view>()(text), digest_of(text)};
  }
  bool empty() const { return high == 0 && low == 0; }
};

// A uid as the caches keep it (16 bytes, where the 36-character text took 32
// bytes and a heap block); empty for no uid. The caches only compare uids
// and look them up; what certmill writes into ownerReferences comes from
// the object read, never from a cache.
inline HashedKey uid_key(std::string_view uid) {
  return uid.empty() ? HashedKey{} : HashedKey::of(uid);
}

struct HashedKeyHash {
  std::size_t operator()(const HashedKey& key) const noexcept { return key.high; }
};

}  // namespace certmill::controller
