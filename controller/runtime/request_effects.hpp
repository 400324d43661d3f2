// CertificateRequests no Certificate owns (csi-driver's, istio-csr's,
// cmctl's) on a shard: the reconcile that carries out plan_request — approve,
// wait, mark Denied, fail, or sign with a CA or SelfSigned issuer, or run an
// ACME order for it beside the reconciles — against the API server, and the
// cache handler that queues such requests as the watch delivers them. A
// Certificate's own requests stay with CertificateEffects and RequestSigning.
#pragma once

#include <optional>
#include <set>
#include <string>

#include "controller/request_decision.hpp"
#include "controller/runtime/shard_context.hpp"
#include "issuers/backend.hpp"

namespace certmill::controller {

class RateGate;
class RequestSigning;
class Signers;

class RequestEffects {
 public:
  RequestEffects(ShardContext& shard, Signers& signers, RequestSigning& signing,
                 RateGate& rate_gate)
      : shard_(shard), signers_(signers), signing_(signing), rate_gate_(rate_gate) {}

  asio::awaitable<Status> sync(const std::string& key);
  // The cache handler: a request nobody's Certificate owns is queued.
  void changed(const std::string& key, const RequestView* before, const RequestView* after);
  // An Issuer or ClusterIssuer changed: the requests waiting for one to
  // appear or become ready look again.
  void issuer_changed();

 private:
  // What signing came to: the chain, a failure to write as Failed, or a
  // reason to wait (the SelfSigned key's Secret is not there yet).
  struct Signed {
    std::optional<issuers::Issued> issued;
    std::string failure;
    std::string waiting;
  };

  const IssuerView* issuer_of(const RequestView& request) const;
  RequestPlan plan(const RequestView& request) const;
  // An error is one worth retrying (the issuer's Secret could not be read).
  asio::awaitable<Result<Signed>> sign(const api::CertificateRequest& request,
                                       const RequestView& view, const IssuerView& issuer);
  // An ACME request's turn in its account's line, then its order started
  // beside the reconciles once its status says so (approved, and an order in
  // progress: what tells a restarted process to continue the Order).
  asio::awaitable<Status> start_order(api::CertificateRequest request, const RequestView& seen,
                                      const IssuerView& issuer, bool approve);
  asio::awaitable<void> run_order(api::CertificateRequest request, IssuerView issuer, bool earlier);
  // What the order came to, written on the server's copy if that still asks
  // for it to be signed (not denied, decided or deleted meanwhile).
  asio::awaitable<Status> finish_order(const std::string& key,
                                       const Result<issuers::Issued>& issued);
  // `request`'s status as a merge patch against the version read, and the
  // Events about it.
  asio::awaitable<Status> write_status(const api::CertificateRequest& request,
                                       const std::vector<EventNote>& events);

  ShardContext& shard_;
  Signers& signers_;
  RequestSigning& signing_;
  RateGate& rate_gate_;
  // Requests whose order runs in this process.
  std::set<std::string> ordering_;
  // Requests waiting for their issuer (a few at most: an issuer being set up).
  std::set<std::string> waiting_for_issuer_;
};

}  // namespace certmill::controller
