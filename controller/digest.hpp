// Stable 64-bit fingerprints (FNV-1a) that the caches keep in place of the
// data itself: equal inputs give equal values in every process and run.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace certmill::controller {

class Digest {
 public:
  // Each string is framed by its length, so ("ab", "c") and ("a", "bc") differ.
  Digest& add(std::string_view text);
  Digest& add(uint64_t value);
  // Order and duplicates do not count, as cert-manager compares name lists.
  Digest& add_set(std::vector<std::string> values);
  uint64_t value() const noexcept { return hash_; }

 private:
  void mix(unsigned char byte) noexcept;
  uint64_t hash_ = 14695981039346656037ull;
};

uint64_t digest_of(std::string_view text);

}  // namespace certmill::controller
