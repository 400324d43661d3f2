// Opening an Issuer's ACME account, and signing through orders.
#include "issuers/acme/issuer.hpp"

#include <openssl/sha.h>

#include "core/base64.hpp"
#include "issuers/acme/order.hpp"
#include "issuers/acme/renewal_info.hpp"
#include "issuers/acme/transport.hpp"

namespace certmill::issuers::acme {

asio::awaitable<Result<OpenAccount>> open_account(asio::any_io_executor executor,
                                                  AccountSettings settings, reactor::Clock& clock) {
  auto key = pki::parse_private_key(settings.account_key_pem, "the ACME account key");
  if (!key)
    co_return key.error();
  auto transport = Transport::create(executor, {.ca_bundle_pem = settings.ca_bundle_pem,
                                                .skip_tls_verify = settings.skip_tls_verify});
  if (!transport)
    co_return transport.error();
  auto client = Client::create(std::move(*transport),
                               {.directory_url = settings.server,
                                .new_orders = settings.new_orders,
                                .observer = std::move(settings.request_observer)},
                               std::move(*key), clock);
  if (!client)
    co_return client.error();
  if (!settings.known_url.empty()) {
    (*client)->set_account_url(settings.known_url);
    co_return OpenAccount{std::shared_ptr<Client>(std::move(*client)), settings.known_url};
  }
  auto registered = co_await register_account(
      **client, {.emails = settings.emails, .external_account_binding = settings.binding});
  if (!registered)
    co_return registered.error();
  co_return OpenAccount{std::shared_ptr<Client>(std::move(*client)), std::move(registered->url)};
}

Result<pki::PrivateKey> new_account_key() {
  return pki::generate_private_key({.algorithm = api::PrivateKeyAlgorithm::ECDSA,
                                    .bits = 256,
                                    .encoding = api::PrivateKeyEncoding::PKCS1});
}

std::string account_key_hash(std::string_view key_pem) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(key_pem.data()), key_pem.size(), digest);
  return base64_encode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

asio::awaitable<Result<Issued>> AcmeBackend::sign(SignRequest request, SignContext context) {
  if (!context.solver)
    co_return Error(Errc::invalid_argument, "an ACME order needs a challenge solver");
  OrderRequest order;
  order.observer = context.observer;
  order.replaces = std::move(context.replaces);
  order.resume_url = std::move(context.resume_order_url);
  order.turns = context.turns;
  order.csr_pem = std::move(request.csr_pem);
  order.profile = settings_.profile;
  order.preferred_chain = settings_.preferred_chain;
  order.poll.check_retry_period = settings_.check_retry_period;
  if (settings_.enable_duration_feature && request.duration)
    order.not_after =
        std::chrono::floor<std::chrono::seconds>(client_->clock().now() + *request.duration);
  auto issued = co_await issue_certificate(*client_, std::move(order), *context.solver);
  if (!issued)
    co_return issued.error();
  // An ACME CA names no CA certificate for status.ca; the chain carries the
  // intermediates.
  co_return Issued{std::move(issued->chain_pem), {}};
}

asio::awaitable<Result<SuggestedRenewal>> AcmeBackend::suggested_renewal(
    std::string certificate_pem) {
  auto info = co_await renewal_info(*client_, certificate_pem);
  if (!info)
    co_return info.error();
  if (!info->offered)
    co_return SuggestedRenewal{};
  co_return SuggestedRenewal{true,
                             info->renewal_time,
                             info->retry_after_at,
                             info->window.start,
                             info->window.end,
                             info->explanation_url};
}

}  // namespace certmill::issuers::acme
