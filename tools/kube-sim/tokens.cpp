// ServiceAccount token bookkeeping; the lifetime rules are those of
// Kubernetes' pkg/apis/authentication/validation and v1 defaults.
#include "tools/kube-sim/tokens.hpp"

namespace certmill::kubesim {

TokenLifetime token_lifetime(std::optional<std::int64_t> requested) {
  const std::int64_t seconds = requested.value_or(3600);
  if (seconds < 600)
    return {seconds, "may not specify a duration less than 10 minutes"};
  if (seconds > (std::int64_t{1} << 32))
    return {seconds, "may not specify a duration larger than 2^32 seconds"};
  return {seconds, ""};
}

std::optional<IssuedToken> TokenTable::find(const std::string& token, WallTime now) {
  auto it = tokens_.find(token);
  if (it == tokens_.end())
    return std::nullopt;
  if (now >= it->second.expires) {
    tokens_.erase(it);
    return std::nullopt;
  }
  return it->second;
}

}  // namespace certmill::kubesim
