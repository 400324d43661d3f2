// ACME Renewal Information on a shard: the CA's suggested renewal time for
// each ACME Certificate's current certificate, asked beside the reconciles
// and again when the CA's Retry-After has passed (certmill's own renewal
// time stands when the CA offers none), and the CertID a renewal order names
// in `replaces`, which Let's Encrypt exempts from its rate limits. The
// questions wait in one line per shard, asked two at a time and five a second
// at most: after a restart every ACME Certificate asks at once, and a burst
// of thousands would take the connections orders need. When the CA explains
// its window (explanationURL), the Certificate gets an Event saying where.
// What the CA said goes to the Certificate's status.acme.ari (certID,
// suggestedWindow, lastChecked, nextCheck) when it changes, and again a day
// later at most: not on every unchanged answer, which for a fleet would be
// a write per Certificate every few hours. The Certificate's own reconcile
// writes it, after its other writes, so the two never race.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include "controller/issuer_view.hpp"
#include "controller/runtime/issuance.hpp"
#include "controller/runtime/shard_context.hpp"
#include "controller/secret_view.hpp"
#include "reactor/rate_limiter.hpp"

namespace certmill::controller {

class Signers;

class RenewalAdvisor {
 public:
  RenewalAdvisor(ShardContext& shard, Issuances& issuances, Signers& signers);

  // The CA's renewal time for the Secret's certificate when known; asks the
  // CA (beside the reconciles) when it is not, or when it is time again.
  std::optional<Time> suggested_renewal(const std::string& key, const SecretView* secret,
                                        const IssuerView* issuer);
  // The RFC 9773 CertID of the certificate in the Certificate's Secret, when
  // `issuer` issued it: what a renewal order replaces.
  asio::awaitable<std::string> replaced_cert_id(const std::string& key, const IssuerView& issuer);
  // Writes the CA's answer not yet in the Certificate's status.acme.ari, if
  // there is one; from the Certificate's reconcile.
  asio::awaitable<void> write_untold(const std::string& key, const CertificateView& view);

 private:
  struct Question {
    std::string key;
    IssuerView issuer;
    std::string ns, secret_name;
    uint64_t crt_digest = 0;
  };
  // Takes questions from the line, paced, until it is empty.
  asio::awaitable<void> asker();
  asio::awaitable<void> ask(Question question);
  // Tells the Certificate where the CA explains its window, once per URL.
  void explain(const std::string& key, const issuers::SuggestedRenewal& advice);
  // Keeps the answer about the certificate `cert_id` for status.acme.ari,
  // unless it was written already, and wakes the Certificate to write it.
  void tell(const std::string& key, const std::string& cert_id,
            const issuers::SuggestedRenewal& advice);

  ShardContext& shard_;
  Issuances& issuances_;
  Signers& signers_;
  std::deque<Question> questions_;
  unsigned askers_ = 0;
  reactor::RateLimiter pace_;
};

}  // namespace certmill::controller
