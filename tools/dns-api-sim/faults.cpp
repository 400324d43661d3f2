// Matching requests to the failures a test asked for.
#include "tools/dns-api-sim/faults.hpp"

namespace certmill::dnssim {

std::optional<Fault> Faults::take(const std::string& method, const std::string& path) {
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if ((!it->method.empty() && it->method != method) || !path.starts_with(it->path_prefix))
      continue;
    if (it->after > 0) {
      --it->after;
      return std::nullopt;
    }
    Fault met = *it;
    if (--it->count <= 0)
      faults_.erase(it);
    return met;
  }
  return std::nullopt;
}

}  // namespace certmill::dnssim
