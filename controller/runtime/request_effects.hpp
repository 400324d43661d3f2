// CertificateRequests no Certificate owns (csi-driver's, istio-csr's,
// cmctl's) on a shard: the reconcile that carries out plan_request — approve,
// wait, mark Denied, fail, or sign with a CA or SelfSigned issuer — against
// the API server, and the cache handler that queues such requests as the
// watch delivers them. A Certificate's own requests stay with
// CertificateEffects and RequestSigning.
#pragma once

#include <optional>
#include <set>
#include <string>

#include "controller/request_decision.hpp"
#include "controller/runtime/shard_context.hpp"
#include "issuers/backend.hpp"

namespace certmill::controller {

class Signers;

class RequestEffects {
 public:
  RequestEffects(ShardContext& shard, Signers& signers) : shard_(shard), signers_(signers) {}

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

  ShardContext& shard_;
  Signers& signers_;
  // Requests waiting for their issuer (a few at most: an issuer being set up).
  std::set<std::string> waiting_for_issuer_;
};

}  // namespace certmill::controller
