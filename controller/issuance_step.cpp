// The issuance bookkeeping around a decision, and the cache's catching up.
#include "controller/issuance_step.hpp"

#include "controller/status_writes.hpp"

namespace certmill::controller {

IssuanceStep plan_issuance_step(const Decision& decision, const IssuanceFacts& facts) {
  IssuanceStep step;
  step.sign_left_unsigned = decision.action == Action::None && facts.issuing &&
                            facts.next_pending && facts.signs_in_process && !facts.ordering_next &&
                            facts.may_sign;
  // The issuance goes on while the Certificate is, or is about to say it is,
  // Issuing; it ends when the Secret is stored or the attempt failed.
  bool issuing_after = facts.issuing || decision.action == Action::Issue;
  if (decision.status) {
    for (const api::Condition& c : decision.status->conditions) {
      if (c.type == "Issuing")
        issuing_after = c.status == api::ConditionStatus::True;
    }
  }
  step.end_issuance = !issuing_after || decision.action == Action::StoreIssued;
  step.prune_requests = decision.action != Action::Issue && !facts.issuing;
  return step;
}

CacheState cache_state(const WrittenVersions& written, const CachedVersions& cached, Time deadline,
                       Time now) {
  bool seen = version_reached(cached.certificate, written.certificate);
  if (seen && !written.secret.empty())
    seen = cached.secret && version_reached(*cached.secret, written.secret);
  if (seen && !written.request.empty())
    seen = cached.request && version_reached(*cached.request, written.request);
  if (seen)
    return CacheState::CaughtUp;
  return now >= deadline ? CacheState::GaveUp : CacheState::Behind;
}

int planned_writes(const Decision& decision, const IssuanceStep& step) {
  return (decision.status ? 1 : 0) + (decision.action != Action::None ? 1 : 0) +
         static_cast<int>(decision.events.size()) + (step.sign_left_unsigned ? 1 : 0);
}

}  // namespace certmill::controller
