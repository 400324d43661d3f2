// An ACME Issuer as the controller uses it: an account opened from the
// Issuer's settings (the CA, its trust, the key, email and binding), and the
// Backend that turns a CertificateRequest's CSR into a chain through one
// order. The controller fetches the Secrets; nothing here reads Kubernetes.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "core/pki/keys.hpp"
#include "issuers/acme/account.hpp"
#include "issuers/acme/client.hpp"
#include "issuers/acme/order_observer.hpp"
#include "issuers/acme/solver.hpp"
#include "issuers/backend.hpp"
#include "reactor/clock.hpp"

namespace certmill::issuers::acme {

struct AccountSettings {
  std::string server;         // the directory URL
  std::string ca_bundle_pem;  // spec.acme.caBundle; empty trusts the system's store
  bool skip_tls_verify = false;
  std::string account_key_pem;  // from privateKeySecretRef
  std::vector<std::string> emails;
  std::optional<ExternalAccountBinding> binding;
  // Hears of every request the account's client sends (metrics).
  std::shared_ptr<RequestObserver> request_observer = {};
  // How newOrder waits after a 429 (new_order_gate.hpp); the controller,
  // whose rate-limit lines decide when orders go, turns the gate off.
  NewOrderLimits new_orders = {};
  // The account's URL when this process registered the key before: the
  // client signs with it and sends no newAccount.
  std::string known_url = {};
};

struct OpenAccount {
  std::shared_ptr<Client> client;  // on the executor it was opened on
  std::string url;                 // the account URL (status.acme.uri)
};

// Registers the key with the CA (newAccount answers an existing account's URL
// too, so this is also how a restarted controller finds its account), unless
// `settings.known_url` says where it is.
asio::awaitable<Result<OpenAccount>> open_account(asio::any_io_executor executor,
                                                  AccountSettings settings, reactor::Clock& clock);

// A new account key: ECDSA P-256, whose JWS signatures cost a fraction of
// RSA's (cert-manager makes RSA 2048 keys; an existing RSA key is used as is).
Result<pki::PrivateKey> new_account_key();

// What cert-manager keeps in status.acme.lastPrivateKeyHash: a fingerprint of
// the account key (base64 of its SHA-256), to notice a replaced key.
std::string account_key_hash(std::string_view key_pem);

struct OrderSettings {
  std::string preferred_chain;
  std::string profile;
  bool enable_duration_feature = false;
  // Between a challenge's failed self-checks (--dns01-check-retry-period,
  // which cert-manager uses for HTTP-01 too).
  std::chrono::seconds check_retry_period{10};
};

// Signs through one ACME order per request; the context's solver answers
// its challenges (an order without one fails).
// The context's observer hears of every step (Order and Challenge objects);
// its `replaces` names the certificate a renewal replaces.
class AcmeBackend : public Backend {
 public:
  AcmeBackend(std::shared_ptr<Client> client, OrderSettings settings)
      : client_(std::move(client)), settings_(std::move(settings)) {}
  asio::awaitable<Result<Issued>> sign(SignRequest request, SignContext context) override;
  // The CA's renewalInfo (RFC 9773) for the certificate.
  asio::awaitable<Result<SuggestedRenewal>> suggested_renewal(std::string certificate_pem) override;

 private:
  std::shared_ptr<Client> client_;
  OrderSettings settings_;
};

}  // namespace certmill::issuers::acme
