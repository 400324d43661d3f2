// FNV-1a over length-framed fields.
#include "controller/digest.hpp"

#include <algorithm>

namespace certmill::controller {

void Digest::mix(unsigned char byte) noexcept {
  hash_ ^= byte;
  hash_ *= 1099511628211ull;
}

Digest& Digest::add(uint64_t value) {
  for (int i = 0; i < 8; ++i)
    mix(static_cast<unsigned char>(value >> (8 * i)));
  return *this;
}

Digest& Digest::add(std::string_view text) {
  add(static_cast<uint64_t>(text.size()));
  for (char c : text)
    mix(static_cast<unsigned char>(c));
  return *this;
}

Digest& Digest::add_set(std::vector<std::string> values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  add(static_cast<uint64_t>(values.size()));
  for (const std::string& v : values)
    add(v);
  return *this;
}

uint64_t digest_of(std::string_view text) {
  return Digest().add(text).value();
}

}  // namespace certmill::controller
