// One shard's side of the ACME rate-limit lines: before an ACME issuance
// places its order, its Certificate asks for its turn in its account's line
// (RateLimitScheduler) and writes nothing meanwhile; the turn, when it comes,
// queues the Certificate again, and lasts until the issuance ends. A 429 the
// CA answers anyway closes what the CA names and puts the issuance back in
// line, its request left pending: the CA's Retry-After decides when it goes
// again, not cert-manager's failure backoff.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "controller/certificate_view.hpp"
#include "controller/issuer_view.hpp"
#include "controller/runtime/rate_limit_scheduler.hpp"
#include "controller/runtime/shard_context.hpp"
#include "controller/secret_view.hpp"
#include "core/acme/problem.hpp"
#include "core/api/certificate.hpp"
#include "core/ratelimits/public_suffix.hpp"
#include "issuers/acme/new_order_turns.hpp"

namespace certmill::controller {

// How long a new Certificate's deadline lies after it asks: renewals due
// sooner than that go before it, later ones after.
inline constexpr auto kNewCertificateGrace = std::chrono::hours(1);

// The Certificate condition that says its renewal is projected to come after
// its certificate expires, True while it is (certmill's own: cert-manager
// has none; others' conditions are kept as they are).
inline constexpr const char* kLateCondition = "RenewalProjectedLate";
inline constexpr const char* kLateReason = "RateLimitBudget";

// An ACME issuer's account and its limits: Let's Encrypt's for its
// directories, the certmill.io/rate-limits annotation over them; nothing for
// other issuers. A bad annotation is an error naming it. A ClusterIssuer's
// key Secret is in `cluster_resource_namespace`.
std::optional<Result<RateLimitAccount>> rate_limit_account(
    const IssuerView& issuer, const std::string& cluster_resource_namespace);

// The identifiers an order for `spec` names: its DNS names, IP addresses,
// and its common name when not among them.
std::vector<acme::Identifier> order_identifiers(const api::CertificateSpec& spec);

// An ACME request's account and the identifiers its order names; nothing for
// other issuers, an issuer with a bad annotation, or a CSR that does not read.
struct RequestOrder {
  RateLimitAccount account;
  std::vector<acme::Identifier> identifiers;
};
std::optional<RequestOrder> request_order(const IssuerView& issuer,
                                          const api::CertificateRequest& request,
                                          const std::string& cluster_resource_namespace);

// The key a CertificateRequest no Certificate owns ("namespace/name") waits
// in line under: apart from its namespace's Certificates' keys (no namespace
// is named with capitals), and its turn queues the request.
std::string request_turn_key(const std::string& request);

class RateGate {
 public:
  RateGate(ShardContext& shard, RateLimitScheduler& scheduler,
           const ratelimits::PublicSuffixList& suffixes)
      : shard_(shard), scheduler_(scheduler), suffixes_(suffixes) {}

  // Whether `certificate`'s order may go now. If not, it waits in its
  // account's line (asked once) until its turn. `expires` is when the
  // certificate in use expires, for a renewal; `replaces` whether the order
  // will carry ARI's replaces.
  bool admit(const std::string& certificate, const RateLimitAccount& account,
             const std::vector<acme::Identifier>& identifiers, std::optional<Time> expires,
             bool renewal, bool replaces);
  // Whether a Certificate's issuance may start now: true at once for
  // non-ACME issuers; an ACME one asks for its turn (admit()), as a renewal
  // when the Secret's certificate has the spec's names (`ari`: the CA gave
  // renewal advice, so the order will carry replaces).
  bool admit_issuance(const std::string& certificate, const IssuerView& issuer,
                      const api::CertificateSpec& spec, const CertificateView& view,
                      const SecretView* secret, bool ari);
  // Whether its turn was given as a renewal of the names its certificate
  // has, exempt from new orders and certificates per domain.
  bool renews_same_names(const std::string& certificate) const;
  // Whether its turn has come (and not ended), or it waits for one.
  bool granted(const std::string& certificate) const;
  bool waiting(const std::string& certificate) const;
  // The scheduler's message: the turn has come.
  void grant(const std::string& certificate);
  // The scheduler's message: its renewal is projected to come after its
  // certificate expires (the account's budgets cannot fit it), or no longer.
  // The Certificate says so in a condition (kLateCondition) and a Warning
  // Event, days ahead, until its turn comes or it no longer waits.
  void projected(const std::string& certificate, std::optional<LateRenewal> late);
  // The CA refused its order with 429: `error` is the problem, with the CA's
  // Retry-After when it sent one. An order that had no turn (one continued
  // from an earlier process) gets one, as a new order.
  void refused(const std::string& certificate, const RateLimitAccount& account,
               const std::vector<acme::Identifier>& identifiers, const Error& error);
  // Its issuance ended, or the Certificate is gone.
  void done(const std::string& certificate);
  // What its order's newOrder requests wait for: one of the account's at a
  // time, none once a 429 closed what it needs. An order without a turn (one
  // continued from an earlier process) is asked about as a new order of
  // `account` for `identifiers`.
  std::unique_ptr<issuers::acme::NewOrderTurns> new_order_turns(
      const std::string& certificate, const RateLimitAccount& account,
      const std::vector<acme::Identifier>& identifiers) const;

 private:
  struct Turn {
    RateLimitAccount account;
    ratelimits::Waiting waiting;
    bool granted = false;
  };

  ShardContext& shard_;
  RateLimitScheduler& scheduler_;
  const ratelimits::PublicSuffixList& suffixes_;
  // Writes the condition, or takes it away.
  void write_late(const std::string& certificate, std::optional<LateRenewal> late);

  std::unordered_map<std::string, Turn> turns_;
  std::unordered_set<std::string> late_;  // told so, the condition written
};

}  // namespace certmill::controller
