// One shard's controller: the effects modules of the kinds this shard owns —
// Certificates, the CertificateRequests no Certificate owns, Issuers and
// ClusterIssuers, ingress-shim, gateway-shim — and
// what they share (signers, ACME accounts, ARI advice, the Issuance
// records), registered with the shard's Runner and fed by its cache
// partitions' change handlers.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "controller/metrics.hpp"
#include "controller/runtime/acme_accounts.hpp"
#include "controller/runtime/certificate_effects.hpp"
#include "controller/runtime/issuance.hpp"
#include "controller/runtime/issuer_effects.hpp"
#include "controller/runtime/rate_gate.hpp"
#include "controller/runtime/renewal_advisor.hpp"
#include "controller/runtime/request_effects.hpp"
#include "controller/runtime/request_signing.hpp"
#include "controller/runtime/shard_context.hpp"
#include "controller/runtime/shim_effects.hpp"
#include "controller/runtime/signers.hpp"

namespace certmill::controller {

// What the shards share of ACME accounts: one registration each, one
// rate-limit line each, and the list the lines count domains by.
struct AcmeShared {
  AccountRegistrations& registrations;
  RateLimitScheduler& scheduler;
  const ratelimits::PublicSuffixList& suffixes;
};

class ShardController {
 public:
  ShardController(unsigned index, reactor::Reactor& reactor, Caches& caches, k8s::Client& client,
                  reactor::WorkerPool& pool, Metrics& metrics, k8s::QueueMetrics::Shard queue,
                  const RuntimeOptions& options, AcmeShared acme);
  ShardController(const ShardController&) = delete;
  ShardController& operator=(const ShardController&) = delete;

  // Hooks the cache partitions of this shard; before the reactor starts.
  void attach();
  // The work loop, until cancelled.
  asio::awaitable<void> run();
  // Measures how late this shard's event loop runs, until cancelled.
  asio::awaitable<void> watch_loop_lag();

  std::size_t queued() const { return shard_.runner.queued(); }

 private:
  ShardContext shard_;
  Issuances issuances_;
  AcmeAccounts accounts_;
  Signers signers_;
  RenewalAdvisor advisor_;
  RateGate rate_gate_;
  RequestSigning signing_;
  CertificateEffects certificates_;
  RequestEffects requests_;
  IssuerEffects issuers_;
  ShimEffects shims_;
  ShardSeries series_;
};

}  // namespace certmill::controller
