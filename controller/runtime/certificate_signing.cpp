// A request left unsigned by an earlier reconcile is signed with the key
// this process made for it; a request made before this process started (by
// cert-manager, before a take-over) with the key cert-manager keeps in a
// Secret of its own, adopted as the pending key. Without either the
// revision starts over.
#include "controller/runtime/certificate_effects.hpp"
#include "controller/runtime/request_signing.hpp"
#include "controller/status_writes.hpp"
#include "core/log.hpp"
#include "k8s/api_error.hpp"

namespace certmill::controller {

asio::awaitable<Status> CertificateEffects::sign_left_unsigned(const CertificateView& view,
                                                               const RequestView& next,
                                                               const IssuerView& issuer) {
  const std::string key = view.namespace_ + "/" + view.name;
  auto request = co_await shard_.client.get<api::CertificateRequest>(view.namespace_, next.name);
  if (!request)
    co_return k8s::is_not_found(request.error()) ? Status{} : Status{request.error()};
  // Signed or failed already, and the cache has not seen it yet (a watch
  // behind under dropped streams): signing again would replace its
  // certificate. The watch event that brings the cache up queues the
  // Certificate again. (Seen once in a 1,000-Certificate fault storm.)
  if (!request->status.certificate.data.empty() || request->status.failure_time) {
    log::debug("a request the cache shows unsigned has ended on the server; not signed again",
               {{"certificate", key}, {"request", next.name}});
    co_return Status{};
  }
  const Issuance* record = issuances_.find(key);
  const PendingKey* pending = record ? record->pending.get() : nullptr;
  bool earlier = false;
  if (!pending || pending->revision != next.revision ||
      pending->public_key_digest != next.public_key_digest) {
    auto adopted = co_await adopt_next_key(view, next, *request);
    if (!adopted)
      co_return adopted.error();
    if (!*adopted) {
      // Its key is gone with the process that made it: start the revision over.
      auto removed =
          co_await shard_.client.remove<api::CertificateRequest>(view.namespace_, next.name);
      co_return removed || k8s::is_not_found(removed.error()) ? Status{} : removed;
    }
    pending = issuances_.find(key)->pending.get();
    earlier = true;
  }
  // Copies: the record may change, or go, while this reconcile waits.
  const int32_t revision = pending->revision;
  std::string key_pem = pending->key_pem;
  co_return co_await signing_.sign(std::move(*request), issuer, revision, std::move(key_pem),
                                   earlier);
}

asio::awaitable<Result<bool>> CertificateEffects::adopt_next_key(
    const CertificateView& view, const RequestView& next, const api::CertificateRequest& request) {
  const std::string key = view.namespace_ + "/" + view.name;
  // certmill's own ACME request, made before a restart: its key waits in the
  // Secret named after it, for its order to be continued.
  if (next.revision && view.key) {
    const std::string kept = request_key_secret_name(next.name);
    auto secret = co_await shard_.get_secret(view.namespace_, kept);
    if (!secret)
      co_return secret.error();
    if (*secret) {
      auto parsed = pki::parse_private_key(data_of(**secret, "tls.key"), "the request's key");
      if (parsed && public_key_digest(*parsed) == next.public_key_digest) {
        log::info("continuing an issuance begun before this controller restarted",
                  {{"certificate", key}, {"request", next.name}});
        issuances_.at(key).pending = std::make_unique<PendingKey>(PendingKey{
            *next.revision, next.public_key_digest, data_of(**secret, "tls.key"), {}, {}, kept});
        slots_.hold(key, slot_group(view.namespace_, with_defaults(view.issuer_ref)));
        co_return true;
      }
    }
  }
  // cert-manager keeps the key of a request in flight in a Secret of its own,
  // which the request names; its public key must be the request's.
  auto named = request.metadata.annotations.find("cert-manager.io/private-key-secret-name");
  if (named == request.metadata.annotations.end() || named->second.empty() || !next.revision ||
      !view.key)
    co_return false;
  auto secret = co_await shard_.get_secret(view.namespace_, named->second);
  if (!secret)
    co_return secret.error();
  if (!*secret)
    co_return false;
  auto parsed = pki::parse_private_key(data_of(**secret, "tls.key"), "the request's key Secret");
  if (!parsed || public_key_digest(*parsed) != next.public_key_digest)
    co_return false;
  auto key_pem = pki::encode_private_key(*parsed, view.key->encoding);
  if (!key_pem)
    co_return false;
  log::info("continuing an issuance begun before this controller started",
            {{"certificate", key},
             {"request", next.name},
             {"key_secret", view.namespace_ + "/" + named->second}});
  issuances_.at(key).pending = std::make_unique<PendingKey>(
      PendingKey{*next.revision, next.public_key_digest, std::move(*key_pem), {}, {}});
  slots_.hold(key, slot_group(view.namespace_, with_defaults(view.issuer_ref)));
  co_return true;
}

}  // namespace certmill::controller
