// Oldest revisions first, beyond the limit.
#include "controller/request_history.hpp"

#include <algorithm>

namespace certmill::controller {

std::vector<std::string> requests_to_prune(const std::vector<const RequestView*>& owned,
                                           std::optional<int32_t> revision_history_limit) {
  std::vector<const RequestView*> finished;
  for (const RequestView* r : owned) {
    if (r->revision && r->state != RequestState::Pending)
      finished.push_back(r);
  }
  std::sort(finished.begin(), finished.end(),
            [](const RequestView* a, const RequestView* b) { return *a->revision < *b->revision; });
  const std::size_t keep =
      static_cast<std::size_t>(std::max(1, revision_history_limit.value_or(1)));
  std::vector<std::string> out;
  for (std::size_t i = 0; i + keep < finished.size(); ++i)
    out.push_back(finished[i]->name);
  return out;
}

}  // namespace certmill::controller
