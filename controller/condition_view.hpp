// One status condition as a cache keeps it: enough to tell whether a new
// condition differs (status, reason, message fingerprint, observedGeneration)
// and to keep lastTransitionTime when the status stays the same.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "controller/compact_fields.hpp"
#include "core/api/meta.hpp"

namespace certmill::controller {

struct ConditionView {
  uint64_t message_digest = 0;
  int64_t observed_generation = 0;
  PackedOptional<Time> last_transition_time;
  CompactText reason;  // absent only when the condition is
  bool present = false;
  api::ConditionStatus status = api::ConditionStatus::Unknown;
  bool operator==(const ConditionView&) const = default;
};

ConditionView condition_view(const std::vector<api::Condition>& conditions, std::string_view type);

// Whether `want` (with its message) says something other than `have`.
bool condition_differs(const ConditionView& have, const api::Condition& want);

}  // namespace certmill::controller
