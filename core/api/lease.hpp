// coordination.k8s.io/v1 Lease: the lock of leader election (cert-manager
// keeps it in kube-system: 60 s lease, 40 s renew deadline, 15 s retry).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/api/meta.hpp"

namespace certmill::api {

struct LeaseSpec {
  std::string holder_identity;
  std::optional<int32_t> lease_duration_seconds;
  std::optional<MicroTime> acquire_time;
  std::optional<MicroTime> renew_time;
  std::optional<int32_t> lease_transitions;
  bool operator==(const LeaseSpec&) const = default;
};

struct Lease {
  ObjectMeta metadata;
  LeaseSpec spec;
  bool operator==(const Lease&) const = default;
};

}  // namespace certmill::api
