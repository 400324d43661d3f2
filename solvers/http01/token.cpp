// Token syntax and the challenge path.
#include "solvers/http01/token.hpp"

namespace certmill::solvers {

bool valid_token(std::string_view token) {
  if (token.empty() || token.size() > 256)
    return false;
  for (const char c : token) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok)
      return false;
  }
  return true;
}

std::string challenge_path(std::string_view token) {
  return std::string(kChallengePath) + std::string(token);
}

}  // namespace certmill::solvers
