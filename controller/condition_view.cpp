// Projection and comparison of conditions.
#include "controller/condition_view.hpp"

#include "controller/digest.hpp"

namespace certmill::controller {

ConditionView condition_view(const std::vector<api::Condition>& conditions, std::string_view type) {
  for (const api::Condition& c : conditions) {
    if (c.type != type)
      continue;
    return ConditionView{true,
                         c.status,
                         c.reason,
                         digest_of(c.message),
                         c.last_transition_time,
                         c.observed_generation.value_or(0)};
  }
  return {};
}

bool condition_differs(const ConditionView& have, const api::Condition& want) {
  return !have.present || have.status != want.status || have.reason != want.reason ||
         have.message_digest != digest_of(want.message) ||
         have.observed_generation != want.observed_generation.value_or(0);
}

}  // namespace certmill::controller
