// Path: where in a document a decoder stands ("spec.dnsNames[2]"). Built on the
// stack as a chain of parents and rendered only when an error needs it, so the
// happy path pays nothing.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace certmill::json {

class Path {
 public:
  static Path root() { return Path(nullptr, {}, kNoIndex); }
  Path key(std::string_view name) const { return Path(this, name, kNoIndex); }
  Path index(std::size_t i) const { return Path(this, {}, i); }

  // "spec.issuerRef.name", "items[3].metadata", `metadata.labels["a.b/c"]`;
  // the document itself is "(document)".
  std::string str() const;

 private:
  static constexpr std::size_t kNoIndex = static_cast<std::size_t>(-1);
  Path(const Path* parent, std::string_view key, std::size_t index)
      : parent_(parent), key_(key), index_(index) {}
  void append_to(std::string& out) const;

  const Path* parent_;
  std::string_view key_;
  std::size_t index_;
};

}  // namespace certmill::json
