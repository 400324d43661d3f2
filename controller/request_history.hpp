// Which of a Certificate's CertificateRequests to delete (cert-manager's
// revision manager): among the finished requests that carry a revision, all
// but the `revisionHistoryLimit` newest (1 when unset). Requests still in
// flight, or without a revision, are never deleted.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "controller/request_view.hpp"

namespace certmill::controller {

std::vector<std::string> requests_to_prune(const std::vector<const RequestView*>& owned,
                                           std::optional<int32_t> revision_history_limit);

}  // namespace certmill::controller
