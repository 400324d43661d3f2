// The ServiceAccount tokens kube-sim has issued through the TokenRequest API:
// opaque strings, each mapped to its ServiceAccount's user until it expires.
// Pure: the caller brings the time and the random token text.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "tools/kube-sim/rbac.hpp"

namespace certmill::kubesim {

using WallTime = std::chrono::system_clock::time_point;

// What kube-apiserver's TokenRequest validation and defaulting decide about
// spec.expirationSeconds: 3600 when absent, at least 600, at most 2^32.
struct TokenLifetime {
  std::int64_t seconds = 0;
  std::string error = {};  // the field error message when invalid
};
TokenLifetime token_lifetime(std::optional<std::int64_t> requested);

struct IssuedToken {
  std::string ns = {};
  std::string service_account = {};
  WallTime expires = {};
};

class TokenTable {
 public:
  void add(const std::string& token, IssuedToken issued) { tokens_[token] = std::move(issued); }
  // The token's entry while it is valid at `now`; an expired one is forgotten.
  std::optional<IssuedToken> find(const std::string& token, WallTime now);
  std::size_t size() const { return tokens_.size(); }

 private:
  std::map<std::string, IssuedToken> tokens_;
};

}  // namespace certmill::kubesim
