// Signing a CertificateRequest from the controller: SelfSigned and CA sign in
// process and approve in the same status write; ACME runs an order beside
// the reconciles and writes the request's status when it ends. The CA's key
// pair is read from its Secret by name and kept on the shard for a short
// while, so a fleet's issuance reads it once, not per certificate; an ACME
// account stays open while its Issuer is unchanged.
#include "controller/acme_order_objects.hpp"
#include "controller/issuer_readiness.hpp"
#include "controller/runtime/shard_controller.hpp"
#include "controller/status_writes.hpp"
#include "core/log.hpp"
#include "issuers/ca.hpp"
#include "issuers/self_signed.hpp"
#include "k8s/api_error.hpp"

namespace certmill::controller {

bool ShardController::signs_in_process(const IssuerView* issuer) const {
  return issuer && (issuer->type == IssuerType::SelfSigned || issuer->type == IssuerType::CA ||
                    issuer->type == IssuerType::ACME);
}

asio::awaitable<Result<std::shared_ptr<issuers::Backend>>> ShardController::signer(
    const IssuerView& issuer) {
  const std::string id =
      issuer.cluster ? "K|" + issuer.name : "I|" + issuer.namespace_ + "/" + issuer.name;
  for (;;) {
    const Time now = this->now();
    if (auto it = signers_.find(id); it != signers_.end()) {
      const bool fresh =
          issuer.type == IssuerType::ACME || now < it->second.fetched + options_.signer_ttl;
      if (it->second.generation == issuer.generation && fresh)
        co_return it->second.backend;
    }
    auto opening = opening_signers_.find(id);
    if (opening == opening_signers_.end())
      break;
    // Another reconcile is making this signer: wait for it, then look again.
    co_await opening->second->wait();
  }
  auto& notifier = opening_signers_[id];
  notifier = std::make_unique<reactor::Notifier>(shard_.executor());
  auto made = co_await make_signer(issuer);
  if (made)
    signers_[id] = Signer{issuer.generation, now(), *made};
  if (auto it = opening_signers_.find(id); it != opening_signers_.end()) {
    it->second->notify_all();
    opening_signers_.erase(it);
  }
  co_return made;
}

asio::awaitable<Result<std::shared_ptr<issuers::Backend>>> ShardController::make_signer(
    IssuerView issuer) {
  auto spec = co_await fetch_issuer_spec(issuer);
  if (!spec)
    co_return spec.error();
  if (spec->self_signed)
    co_return std::make_shared<issuers::SelfSignedBackend>(pool_, reactor_.clock(),
                                                           *spec->self_signed);
  if (spec->ca) {
    const std::string ns = issuer_secret_namespace(issuer, options_.cluster_resource_namespace);
    auto secret = co_await client_.get<api::Secret>(ns, spec->ca->secret_name);
    if (!secret)
      co_return secret.error();
    auto ca = issuers::ca_key_pair_from_secret(*secret, now());
    if (!ca)
      co_return ca.error();
    co_return std::make_shared<issuers::CaBackend>(pool_, reactor_.clock(), std::move(*ca),
                                                   *spec->ca);
  }
  if (spec->acme) {
    if (!options_.http01)
      co_return Error(Errc::invalid_argument,
                      "ACME issuers need certmill's HTTP-01 listener (--http01-listen-address)");
    co_return co_await acme_signer(issuer, *spec->acme);
  }
  co_return Error(Errc::invalid_value,
                  "issuer " + issuer.name + " is not a SelfSigned, CA or ACME issuer");
}

asio::awaitable<Status> ShardController::sign(api::CertificateRequest request, IssuerView issuer,
                                              int32_t revision, std::string key_pem) {
  if (issuer.type != IssuerType::ACME)
    co_return co_await sign_now(std::move(request), std::move(issuer), revision,
                                std::move(key_pem));
  // An order takes seconds to minutes: it runs beside the reconciles, and the
  // request's status write wakes the Certificate.
  const std::string certificate = request.metadata.namespace_ + "/" +
                                  request.metadata.annotations["cert-manager.io/certificate-name"];
  Issuance& record = issuances_.at(certificate);
  if (record.ordering == request.metadata.name)
    co_return Status{};
  record.ordering = request.metadata.name;
  const bool started = shard_.tasks().spawn(
      [this, request = std::move(request), issuer = std::move(issuer), revision]() mutable {
        return sign_detached(std::move(request), std::move(issuer), revision);
      });
  if (!started)
    end_order(certificate, record.ordering);
  co_return Status{};
}

void ShardController::end_order(const std::string& certificate, std::string request_name) {
  Issuance* record = issuances_.find(certificate);
  if (!record || record->ordering != request_name)
    return;  // the Certificate is gone, or orders another request now
  record->ordering.clear();
  issuances_.tidy(certificate);
}

asio::awaitable<void> ShardController::sign_detached(api::CertificateRequest request,
                                                     IssuerView issuer, int32_t revision) {
  const std::string certificate = request.metadata.namespace_ + "/" +
                                  request.metadata.annotations["cert-manager.io/certificate-name"];
  const std::string request_name = request.metadata.name;
  const std::string request_key = request.metadata.namespace_ + "/" + request_name;
  const Status signed_ = co_await sign_now(std::move(request), std::move(issuer), revision, {});
  end_order(certificate, request_name);
  if (!signed_) {
    // The request is still pending (no account, the status write failed):
    // the Certificate's reconcile starts the order again, after a pause.
    log::warn("an ACME order could not start or report",
              {{"request", request_key}, {"error", signed_.error().message()}});
    runner_.enqueue(kinds_.certificate, certificate,
                    reactor_.clock().now() + std::chrono::seconds(30));
  }
}

asio::awaitable<Status> ShardController::sign_now(api::CertificateRequest request,
                                                  IssuerView issuer, int32_t revision,
                                                  std::string key_pem) {
  const std::string key = request.metadata.namespace_ + "/" +
                          request.metadata.annotations["cert-manager.io/certificate-name"];
  auto backend = co_await signer(issuer);
  if (!backend)
    co_return backend.error();  // the request stays pending; retried with backoff
  Result<issuers::Issued> issued = Error(Errc::invalid_value, "not signed");
  if (issuer.type == IssuerType::ACME) {
    auto spec = co_await fetch_issuer_spec(issuer);
    if (!spec || !spec->acme)
      co_return spec ? Error(Errc::invalid_value, "the issuer is no longer an ACME issuer")
                     : spec.error();
    if (Status names = check_acme_names(*spec->acme, request); !names) {
      issued = names.error();
    } else {
      std::string replaces = co_await replaced_cert_id(key, issuer);
      AcmeOrderObjects objects(
          client_, reactor_.clock(), request, spec->acme->solvers,
          {options_.http01_solver_service, {}, static_cast<int32_t>(options_.http01_solver_port)},
          replaces);
      auto& acme = static_cast<issuers::acme::AcmeBackend&>(**backend);
      issued = co_await acme.sign(issuers::sign_request_for(request.spec), &objects,
                                  std::move(replaces));
    }
  } else {
    issued = co_await (*backend)->sign(issuers::sign_request_for(
        request.spec, issuer.type == IssuerType::SelfSigned ? key_pem : std::string()));
  }
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
  if (Issuance* record = issuances_.find(key);
      record && record->pending && record->pending->revision == revision && issued) {
    record->pending->chain_pem = std::move(issued->chain_pem);
    record->pending->ca_pem = std::move(issued->ca_pem);
  }
  Expectation& e = expect(key);
  e.request_key = request.metadata.namespace_ + "/" + request.metadata.name;
  e.request_version = written->metadata.resource_version;
  co_return Status{};
}

}  // namespace certmill::controller
