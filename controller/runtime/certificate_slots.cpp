// A Certificate's turn for an issuance slot (issuance_slots.hpp): one that
// issues takes a slot of its issuer and of the total or waits in line; one
// woken for a turn that issues nothing after all passes it on, so the freed
// slot is not left unused while others wait.
#include "controller/runtime/certificate_effects.hpp"

namespace certmill::controller {

bool CertificateEffects::take_slot(const std::string& key, const CertificateView& view,
                                   bool issues) {
  if (issues)
    return slots_.admit(key, slot_group(view.namespace_, with_defaults(view.issuer_ref)));
  wake(slots_.pass(key));
  return true;
}

void CertificateEffects::wake(const std::optional<std::string>& waiter) {
  if (waiter)
    shard_.runner.enqueue(shard_.kinds.certificate, *waiter);
}

}  // namespace certmill::controller
