// Signing a Certificate's CertificateRequest on its shard: SelfSigned and CA
// sign in process and approve in the same status write; ACME runs an order
// beside the reconciles and writes the request's status when it ends, which
// wakes the Certificate. The new key and the signed chain go to the
// Certificate's Issuance record for the Secret write.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "controller/acme_order_objects.hpp"
#include "controller/issuer_view.hpp"
#include "controller/runtime/challenge_gate.hpp"
#include "controller/runtime/issuance.hpp"
#include "controller/runtime/shard_context.hpp"

namespace certmill::controller {

class RateGate;
class RenewalAdvisor;
class Signers;

class RequestSigning {
 public:
  RequestSigning(ShardContext& shard, Issuances& issuances, Signers& signers,
                 RenewalAdvisor& advisor, RateGate& rate_gate)
      : shard_(shard),
        issuances_(issuances),
        signers_(signers),
        advisor_(advisor),
        rate_gate_(rate_gate),
        challenges_(shard.options.max_challenges) {}

  // Whether certmill signs requests for this issuer itself.
  bool signs_in_process(const IssuerView* issuer) const;
  // Signs now (SelfSigned, CA) or starts an order beside the reconciles
  // (ACME); `key_pem` is the new key, which only SelfSigned signs with.
  // `earlier`: the request was made before this process started (by
  // cert-manager, or before a restart), so an ACME Order for it may exist
  // and is continued. An ACME order waits for its turn in its account's
  // rate-limit line (RateGate) unless it is such a continuation.
  asio::awaitable<Status> sign(api::CertificateRequest request, IssuerView issuer, int32_t revision,
                               std::string key_pem, bool earlier = false);
  // Runs an ACME order for `request` to its end, keeping its Order and
  // Challenges written: the outer error when it could not start (the
  // issuer's Secret or spec unread; try again later), else what the order
  // came to (a cancelled or rate-limited order is an error the caller tells
  // apart). `turn`: the key its rate-limit turn is held under; `replaces`:
  // ARI's replaces, empty for none; `earlier`: an Order an earlier process
  // placed for it is continued.
  asio::awaitable<Result<Result<issuers::Issued>>> order(const api::CertificateRequest& request,
                                                         const IssuerView& issuer,
                                                         const std::string& turn,
                                                         std::string replaces, bool earlier,
                                                         ChallengeStatusMetrics metrics);

 private:
  asio::awaitable<Status> sign_now(api::CertificateRequest request, IssuerView issuer,
                                   int32_t revision, std::string key_pem, bool earlier);
  asio::awaitable<void> sign_detached(api::CertificateRequest request, IssuerView issuer,
                                      int32_t revision, bool earlier);
  // The request's status with what signing gave (`issued`, or its error). An
  // issued chain cost an order at the CA: a failure of the moment (429, 5xx)
  // is tried again for about five minutes, and a conflict with another writer
  // on a fresh copy (retry_soon.hpp), rather than losing the chain and
  // ordering again.
  asio::awaitable<Result<api::CertificateRequest>> write_outcome(
      api::CertificateRequest request, const Result<issuers::Issued>& issued);
  // The order of `request_name` ended; the Certificate's next reconcile may
  // start another.
  void end_order(const std::string& certificate, const std::string& request_name);
  // What answers the challenges of an order for `request`.
  std::shared_ptr<issuers::acme::ChallengeSolver> order_solver(
      const api::ACMEIssuer& acme, const api::CertificateRequest& request,
      const IssuerView& issuer);

  ShardContext& shard_;
  Issuances& issuances_;
  Signers& signers_;
  RenewalAdvisor& advisor_;
  RateGate& rate_gate_;
  // The shard's share of --max-concurrent-challenges, over all its orders.
  ChallengeGate challenges_;
};

}  // namespace certmill::controller
