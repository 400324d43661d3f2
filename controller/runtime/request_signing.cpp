// Signing a CertificateRequest in process, for the issuers that need no
// outside party (SelfSigned, CA): approve it, sign it, and write its status
// in one write. The CA's key pair is read from its Secret by name and kept on
// the shard for a short while, so a fleet's issuance reads it once, not per
// certificate.
#include "controller/issuer_readiness.hpp"
#include "controller/runtime/shard_controller.hpp"
#include "controller/status_writes.hpp"
#include "issuers/ca.hpp"
#include "issuers/self_signed.hpp"
#include "k8s/api_error.hpp"

namespace certmill::controller {

namespace {

template <class T>
asio::awaitable<Result<api::IssuerSpec>> issuer_spec(k8s::Client& client, const IssuerView& view) {
  auto object = co_await client.get<T>(view.namespace_, view.name);
  if (!object)
    co_return object.error();
  co_return std::move(object->spec);
}

}  // namespace

bool ShardController::signs_in_process(const IssuerView* issuer) const {
  return issuer && (issuer->type == IssuerType::SelfSigned || issuer->type == IssuerType::CA);
}

asio::awaitable<Result<std::shared_ptr<issuers::Backend>>> ShardController::signer(
    const IssuerView& issuer) {
  const std::string id =
      issuer.cluster ? "K|" + issuer.name : "I|" + issuer.namespace_ + "/" + issuer.name;
  const Time now = this->now();
  if (auto it = signers_.find(id); it != signers_.end()) {
    if (it->second.generation == issuer.generation &&
        now < it->second.fetched + options_.signer_ttl)
      co_return it->second.backend;
  }
  auto spec = issuer.cluster ? co_await issuer_spec<api::ClusterIssuer>(client_, issuer)
                             : co_await issuer_spec<api::Issuer>(client_, issuer);
  if (!spec)
    co_return spec.error();
  std::shared_ptr<issuers::Backend> backend;
  if (spec->self_signed) {
    backend =
        std::make_shared<issuers::SelfSignedBackend>(pool_, reactor_.clock(), *spec->self_signed);
  } else if (spec->ca) {
    const std::string ns = issuer_secret_namespace(issuer, options_.cluster_resource_namespace);
    auto secret = co_await client_.get<api::Secret>(ns, spec->ca->secret_name);
    if (!secret)
      co_return secret.error();
    auto ca = issuers::ca_key_pair_from_secret(*secret, now);
    if (!ca)
      co_return ca.error();
    backend =
        std::make_shared<issuers::CaBackend>(pool_, reactor_.clock(), std::move(*ca), *spec->ca);
  } else {
    co_return Error(Errc::invalid_value,
                    "issuer " + issuer.name + " is not a SelfSigned or CA issuer");
  }
  signers_[id] = Signer{issuer.generation, now, backend};
  co_return backend;
}

asio::awaitable<Status> ShardController::sign(api::CertificateRequest request,
                                              const IssuerView& issuer,
                                              PendingIssuance& pending_in) {
  const std::string key = request.metadata.namespace_ + "/" +
                          request.metadata.annotations["cert-manager.io/certificate-name"];
  // Copied before any wait: the Certificate may be deleted meanwhile.
  const int32_t revision = pending_in.revision;
  const std::string key_pem = pending_in.key_pem;
  auto backend = co_await signer(issuer);
  if (!backend)
    co_return backend.error();  // the request stays pending; retried with backoff
  auto issued = co_await (*backend)->sign(issuers::sign_request_for(
      request.spec, issuer.type == IssuerType::SelfSigned ? key_pem : std::string()));
  if (issued) {
    mark_issued(request.status, *issued, now());
  } else {
    mark_failed(request.status, issued.error().message(), now());
  }
  auto written = co_await client_.update_status(request);
  if (!written)
    co_return written.error();
  // The pending entry may have been replaced while signing; keep the chain
  // only for the issuance it belongs to.
  if (auto p = pending_.find(key);
      p != pending_.end() && p->second.revision == revision && issued) {
    p->second.chain_pem = std::move(issued->chain_pem);
    p->second.ca_pem = std::move(issued->ca_pem);
  }
  auto& e = expected_[key];
  e.request_key = request.metadata.namespace_ + "/" + request.metadata.name;
  e.request_version = written->metadata.resource_version;
  e.deadline = expectation_deadline();
  co_return Status{};
}

}  // namespace certmill::controller
