// Certificates on a shard: the reconcile (read the caches, ask the pure
// reconciler, carry out its decision against the API server) and the cache
// handlers that wake it. It owns what ties a Certificate to its objects —
// its requests by owner uid, the Secrets it claims — and the issuance slots
// that bound how many issuances run at once.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "controller/issuance_slots.hpp"
#include "controller/owner_index.hpp"
#include "controller/runtime/issuance.hpp"
#include "controller/runtime/shard_context.hpp"
#include "controller/secret_claims.hpp"
#include "controller/write_budget.hpp"
#include "core/pki/keys.hpp"

namespace certmill::controller {

class RateGate;
class RenewalAdvisor;
class RequestSigning;

// What Events on a Certificate point at.
api::ObjectReference reference_to(const api::Certificate& crt);
// A Secret's data value, empty when the key is absent.
std::string data_of(const api::Secret& secret, const std::string& key);
// How the caches know a key pair: a digest of its public key.
uint64_t public_key_digest(const pki::PrivateKey& key);

class CertificateEffects {
 public:
  CertificateEffects(ShardContext& shard, Issuances& issuances, RequestSigning& signing,
                     RenewalAdvisor& advisor, RateGate& rate_gate);

  asio::awaitable<Status> sync(const std::string& key);
  // The cache handlers.
  void changed(const std::string& key, const CertificateView* before, const CertificateView* after);
  void request_changed(const RequestView* before, const RequestView* after);
  void secret_changed(const std::string& key, const SecretView& secret);

 private:
  // Whether the cache shows certmill's last writes (or waited long enough).
  bool caught_up(const std::string& key, const CertificateView& crt, Time now);
  Expectation& expect(const std::string& key);
  // Ends `key`'s issuance (done, failed or gone) and wakes the next waiter.
  void end_issuance(const std::string& key);
  // The issuance slots (certificate_slots.cpp): whether `key`, which
  // `issues` or not, may go on now; and a reconcile for a waiter handed a turn.
  bool take_slot(const std::string& key, const CertificateView& view, bool issues);
  void wake(const std::optional<std::string>& waiter);
  // Deletes the Secret an ACME request's key was kept in, beside the reconciles.
  void drop_key_secret(std::string ns, std::string name);
  void requeue_claimants(const std::string& secret_key);
  const IssuerView* issuer_of(const CertificateView& crt) const;
  std::vector<const RequestView*> requests_of(const CertificateView& crt) const;

  // The writes (certificate_writes.cpp).
  asio::awaitable<Status> issue(const api::Certificate& crt, const CertificateView& view,
                                int32_t revision, const std::optional<RequestView>& stale);
  asio::awaitable<Status> sign_left_unsigned(const CertificateView& view, const RequestView& next,
                                             const IssuerView& issuer);
  // The key of a request made before this process started (by cert-manager,
  // before a take-over) from the Secret the request names, as the pending
  // key; false when there is none to adopt.
  asio::awaitable<Result<bool>> adopt_next_key(const CertificateView& view, const RequestView& next,
                                               const api::CertificateRequest& request);
  asio::awaitable<Status> store(const api::Certificate& crt, const RequestView& request);
  asio::awaitable<Status> repair_secret(const api::Certificate& crt);
  asio::awaitable<Status> write_status(const api::Certificate& crt, const StatusUpdate& update);
  asio::awaitable<void> prune_requests(const CertificateView& crt);

  ShardContext& shard_;
  Issuances& issuances_;
  RequestSigning& signing_;
  RenewalAdvisor& advisor_;
  RateGate& rate_gate_;
  IssuanceSlots slots_;
  OwnerIndex owners_;
  SecretClaims claims_;
  WriteBudgets budgets_;
};

}  // namespace certmill::controller
