// One record per Certificate for what a shard remembers of its issuance
// between reconciles, in place of a map per piece: the new key pair, certmill's
// last writes, the request whose ACME order runs, and what the CA advised of
// the current certificate (ARI). A Certificate with none of these has no
// record; the parts are held by pointer so that a record with one part costs
// little (a fleet of ACME Certificates keeps its ARI advice for good).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/api/certificate.hpp"
#include "core/time.hpp"

namespace certmill::controller {

// The new key (never written anywhere but the Secret) and, for in-process
// issuers, the signed chain.
struct PendingKey {
  int32_t revision = 0;
  uint64_t public_key_digest = 0;
  std::string key_pem;
  std::string chain_pem;
  std::string ca_pem;
  // The Secret the key is kept in while an ACME order runs (namespace/name
  // apart), so a restarted controller can continue the order; empty when
  // the key lives in memory only.
  std::string key_secret = {};
};

// certmill's last writes for a Certificate, which the cache must show before
// the next reconcile may trust it.
struct Expectation {
  std::string certificate_version;
  std::string secret_version;
  std::string request_key;
  std::string request_version;
  Time deadline;
};

// What the CA said of a Certificate's current certificate (by its Secret's
// tls.crt digest); only Certificates of ACME issuers have one.
struct RenewalAdvice {
  uint64_t crt_digest = 0;
  std::optional<Time> renewal;  // none: the CA has no ARI, or no answer yet
  Time ask_again{};
  bool asking = false;
  // The CA's explanationURL told in an Event, so a later answer with the
  // same one is not told again.
  std::string explained = {};
  // status.acme.ari as last written (a digest of its certID and window), and
  // when: an unchanged answer is written again only a day later. `untold`:
  // an answer the Certificate's next reconcile writes.
  uint64_t told = 0;
  Time told_at = {};
  std::unique_ptr<api::CertificateAcmeAriStatus> untold = {};
};

struct Issuance {
  std::unique_ptr<PendingKey> pending;
  std::unique_ptr<Expectation> expected;
  std::unique_ptr<RenewalAdvice> advice;
  std::string ordering;  // the request whose ACME order is in flight

  bool empty() const { return !pending && !expected && !advice && ordering.empty(); }
};

// The records of one shard's Certificates, by "namespace/name".
class Issuances {
 public:
  Issuance* find(const std::string& key);
  // The record, made when there is none.
  Issuance& at(const std::string& key) { return records_[key]; }
  // A write certmill just made, which the cache must show by `deadline`:
  // the expectation, made when there is none, its deadline moved.
  Expectation& expect(const std::string& key, Time deadline);
  // The advice, made when there is none.
  RenewalAdvice& advice(const std::string& key);
  // Drops the record once it holds nothing.
  void tidy(const std::string& key);
  void forget(const std::string& key) { records_.erase(key); }

 private:
  std::unordered_map<std::string, Issuance> records_;
};

}  // namespace certmill::controller
