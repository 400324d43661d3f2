// Projection and comparison of conditions.
#include "controller/condition_view.hpp"

#include "controller/digest.hpp"

namespace certmill::controller {

ConditionView condition_view(const std::vector<api::Condition>& conditions, std::string_view type) {
  for (const api::Condition& c : conditions) {
    if (c.type != type)
      continue;
    ConditionView v;
    v.present = true;
    v.status = c.status;
    v.reason = CompactText(c.reason);
    v.message_digest = digest_of(c.message);
    v.last_transition_time = c.last_transition_time;
    v.observed_generation = c.observed_generation.value_or(0);
    return v;
  }
  return {};
}

bool condition_differs(const ConditionView& have, const api::Condition& want) {
  return !have.present || have.status != want.status || have.reason != want.reason ||
         have.message_digest != digest_of(want.message) ||
         have.observed_generation != want.observed_generation.value_or(0);
}

}  // namespace certmill::controller
