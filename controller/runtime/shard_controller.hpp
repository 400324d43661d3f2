// One shard's controller: the reconciles of the objects this shard owns —
// Certificates, Issuers, ClusterIssuers, Ingresses, Gateways — run by the
// shard's Runner, fed by its cache partitions' change handlers. A reconcile
// reads the shard's caches, asks the pure reconcilers what to do, and does
// it: CertificateRequests, Secrets, status and Events, through the shard's
// client.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "controller/certificate_reconciler.hpp"
#include "controller/issuance_slots.hpp"
#include "controller/metrics.hpp"
#include "controller/owner_index.hpp"
#include "controller/runtime/caches.hpp"
#include "controller/runtime/issuance.hpp"
#include "controller/runtime/runner.hpp"
#include "controller/secret_claims.hpp"
#include "controller/shim_annotations.hpp"
#include "controller/shim_certificate.hpp"
#include "issuers/acme/issuer.hpp"
#include "issuers/backend.hpp"
#include "k8s/client.hpp"
#include "k8s/events.hpp"
#include "k8s/metrics.hpp"
#include "reactor/notifier.hpp"
#include "reactor/reactor.hpp"
#include "reactor/worker_pool.hpp"
#include "solvers/http01/responder.hpp"
#include "solvers/http01/self_check.hpp"

namespace certmill::controller {

namespace asio = boost::asio;

struct RuntimeOptions {
  // Where ClusterIssuers' Secrets live (--cluster-resource-namespace).
  std::string cluster_resource_namespace = "kube-system";
  IssuanceBackoff backoff;
  ShimDefaults shim;
  // Reconciles one shard runs at once; issuance waits on the API server and
  // the worker pool, so many overlap.
  unsigned max_in_flight = 64;
  // Issuances one shard carries at once, from a new key to the stored
  // Secret (an ACME order's minutes included). Others wait their turn in
  // arrival order: memory stays bounded when a whole fleet is due at once,
  // and started issuances finish before new ones begin.
  unsigned max_issuances = 256;
  // A CA issuer's Secret is not watched: how often its readiness is checked
  // again, and how long a shard keeps a CA key pair it read.
  Duration issuer_recheck = std::chrono::minutes(1);
  Duration signer_ttl = std::chrono::seconds(30);
  // How long a reconcile waits for the cache to show certmill's own last
  // write before it acts on what it has.
  Duration expectation_timeout = std::chrono::seconds(60);
  // Where ACME orders put HTTP-01 answers (the Controller's responder);
  // ACME issuers cannot sign without it.
  solvers::Http01Responder* http01 = nullptr;
  // The Service, in each Challenge's namespace, that solver Ingresses and
  // HTTPRoutes send the CA to (it leads to the HTTP-01 listener).
  std::string http01_solver_service = "certmill-acme-http01";
  unsigned http01_solver_port = 8089;
  // How an order checks that a name serves its HTTP-01 answer before the CA
  // is told to look (--acme-http01-solver-nameservers,
  // --acme-http01-self-check-port).
  solvers::SelfCheckOptions http01_self_check;
};

class ShardController {
 public:
  ShardController(unsigned index, reactor::Reactor& reactor, Caches& caches, k8s::Client& client,
                  reactor::WorkerPool& pool, Metrics& metrics, k8s::QueueMetrics::Shard queue,
                  const RuntimeOptions& options);
  ShardController(const ShardController&) = delete;
  ShardController& operator=(const ShardController&) = delete;
  ~ShardController();

  // Hooks the cache partitions of this shard; before the reactor starts.
  void attach();
  // The work loop, until cancelled.
  asio::awaitable<void> run();
  // Measures how late this shard's event loop runs, until cancelled.
  asio::awaitable<void> watch_loop_lag();

  std::size_t queued() const { return runner_.queued(); }

 private:
  // The runner's handles for the kinds this shard reconciles.
  struct Kinds {
    Runner::Kind certificate, issuer, cluster_issuer, ingress, gateway;
  };
  // A queued object, as the shim index remembers its Ingress or Gateway.
  struct Queued {
    Runner::Kind kind;
    std::string key;
  };
  struct Signer {
    int64_t generation = 0;
    Time fetched;
    // Shared: a signature in flight keeps its backend alive when the entry
    // is replaced or dropped meanwhile.
    std::shared_ptr<issuers::Backend> backend;
  };

  Time now() const;
  // Until when a reconcile waits for the cache to show a write made now.
  Time expectation_deadline() const;

  // Cache handlers.
  void certificate_changed(const std::string& key, const CertificateView* before,
                           const CertificateView* after);
  void secret_changed(const std::string& key, const SecretView* before, const SecretView* after);
  void request_changed(const RequestView* before, const RequestView* after);
  void issuer_changed(bool cluster, const std::string& key, const IssuerView* before,
                      const IssuerView* after);
  template <class T>
  void shim_owner_changed(Runner::Kind kind, const std::string& key, const T* before,
                          const T* after);
  void requeue_claimants(const std::string& secret_key);
  unsigned cluster_issuer_shard() const;

  // Certificates (certificate_sync.cpp).
  asio::awaitable<Status> sync_certificate(const std::string& key);
  // Ends `key`'s issuance (done, failed or gone) and wakes the next waiter.
  void end_issuance(const std::string& key);
  // Records a write to the Certificate's objects the cache must show next.
  Expectation& expect(const std::string& key);
  bool caught_up(const std::string& key, const CertificateView& crt, Time now);
  const IssuerView* issuer_of(const CertificateView& crt) const;
  std::vector<const RequestView*> requests_of(const CertificateView& crt) const;
  asio::awaitable<Status> issue(const api::Certificate& crt, const CertificateView& view,
                                int32_t revision, const std::optional<RequestView>& stale);
  asio::awaitable<Status> store(const api::Certificate& crt, const RequestView& request);
  asio::awaitable<Status> repair_secret(const api::Certificate& crt);
  asio::awaitable<Status> write_status(const api::Certificate& crt, const StatusUpdate& update);
  asio::awaitable<void> prune_requests(const CertificateView& crt);
  asio::awaitable<void> record(const api::ObjectReference& object,
                               const std::vector<EventNote>& events);
  asio::awaitable<void> record(k8s::EventRecorder& recorder, const api::ObjectReference& object,
                               const std::vector<EventNote>& events);
  asio::awaitable<Result<std::optional<api::Secret>>> get_secret(const std::string& ns,
                                                                 const std::string& name);

  // In-process signing (request_signing.cpp).
  bool signs_in_process(const IssuerView* issuer) const;
  // Signs now (SelfSigned, CA) or starts an order beside the reconciles (ACME).
  asio::awaitable<Status> sign(api::CertificateRequest request, IssuerView issuer, int32_t revision,
                               std::string key_pem);
  asio::awaitable<Status> sign_now(api::CertificateRequest request, IssuerView issuer,
                                   int32_t revision, std::string key_pem);
  asio::awaitable<void> sign_detached(api::CertificateRequest request, IssuerView issuer,
                                      int32_t revision);
  // The order of `request_name` ended; the Certificate's next reconcile may
  // start another.
  void end_order(const std::string& certificate, std::string request_name);
  asio::awaitable<Result<std::shared_ptr<issuers::Backend>>> signer(const IssuerView& issuer);
  asio::awaitable<Result<std::shared_ptr<issuers::Backend>>> make_signer(IssuerView issuer);
  asio::awaitable<Result<api::IssuerSpec>> fetch_issuer_spec(const IssuerView& issuer);

  // ACME issuers (acme_issuer.cpp).
  asio::awaitable<Status> sync_acme_issuer(bool cluster, const std::string& key,
                                           const IssuerView& issuer);
  // The Issuer's account, registered with the CA; `create_key` makes the
  // account key when its Secret is missing (the Issuer's reconcile does).
  asio::awaitable<Result<issuers::acme::OpenAccount>> open_acme_account(const IssuerView& issuer,
                                                                        const api::ACMEIssuer& acme,
                                                                        bool create_key);
  asio::awaitable<Result<std::shared_ptr<issuers::Backend>>> acme_signer(
      const IssuerView& issuer, const api::ACMEIssuer& acme);
  // ACME Renewal Information (acme_renewal_info.cpp): the CA's renewal time
  // for the Secret's certificate when known, asking the CA (beside the
  // reconciles) when it is not, or when its Retry-After has passed.
  std::optional<Time> suggested_renewal(const std::string& key, const SecretView* secret,
                                        const IssuerView* issuer);
  asio::awaitable<void> fetch_renewal_info(std::string key, IssuerView issuer, std::string ns,
                                           std::string secret_name, uint64_t crt_digest);
  // The RFC 9773 CertID of the certificate in the Certificate's Secret, when
  // `issuer` issued it: what a renewal order replaces.
  asio::awaitable<std::string> replaced_cert_id(const std::string& key, const IssuerView& issuer);
  // Every DNS name of the request has an HTTP-01 solver: not a wildcard, and
  // a solver whose selector matches.
  Status check_acme_names(const api::ACMEIssuer& acme,
                          const api::CertificateRequest& request) const;

  // Issuers (issuer_sync.cpp).
  asio::awaitable<Status> sync_issuer(bool cluster, const std::string& key);

  // ingress-shim and gateway-shim (shim_sync.cpp).
  asio::awaitable<Status> sync_ingress(const std::string& key);
  asio::awaitable<Status> sync_gateway(const std::string& key);
  asio::awaitable<Status> apply_shim(const api::ObjectMeta& owner, const api::ObjectReference& ref,
                                     ShimResult result);

  const unsigned index_;
  reactor::Reactor& reactor_;
  reactor::Shard& shard_;
  Caches& caches_;
  k8s::Client& client_;
  reactor::WorkerPool& pool_;
  Metrics& metrics_;
  const RuntimeOptions& options_;
  k8s::EventRecorder events_;
  k8s::EventRecorder issuer_events_;
  Runner runner_;
  const Kinds kinds_;
  ShardSeries shard_series_;

  // Indexes the handlers keep over this shard's caches.
  OwnerIndex owners_;
  SecretClaims claims_;
  std::unordered_map<Key128, std::set<std::string>, Key128Hash> certificates_by_owner_;
  std::unordered_map<Key128, Queued, Key128Hash> shim_by_uid_;

  Issuances issuances_;
  IssuanceSlots slots_;
  std::unordered_map<std::string, Signer> signers_;
  // Signers being made, so that a fleet due at once opens one ACME account.
  std::unordered_map<std::string, std::unique_ptr<reactor::Notifier>> opening_signers_;
  std::unordered_map<std::string, IssuerSeries> issuer_series_;
};

}  // namespace certmill::controller
