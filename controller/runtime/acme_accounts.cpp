// An ACME Issuer's account: its key from privateKeySecretRef (made there when
// missing, unless disableAccountKeyGeneration), its External Account Binding,
// and the registration the Issuer's Ready condition reports. Its client's
// requests are counted in the ACME request metrics.
#include "controller/runtime/acme_accounts.hpp"

#include "controller/acme_request_metrics.hpp"
#include "controller/issuer_readiness.hpp"
#include "controller/runtime/signers.hpp"
#include "controller/status_writes.hpp"
#include "core/log.hpp"
#include "k8s/api_error.hpp"
#include "k8s/modify.hpp"

namespace certmill::controller {

namespace {

constexpr const char* kRegistered = "ACMEAccountRegistered";
constexpr const char* kRegisteredMessage = "The ACME account was registered with the ACME server";
constexpr const char* kRegisterFailed = "ErrRegisterACMEAccount";

std::string key_field(const api::SecretKeySelector& ref) {
  return ref.key.empty() ? "tls.key" : ref.key;
}

std::string secret_value(const api::Secret& secret, const std::string& key) {
  auto it = secret.data.find(key);
  return it == secret.data.end() ? std::string() : it->second.data;
}

template <class T>
asio::awaitable<Status> write_acme_status(k8s::Client& client, const IssuerView& issuer,
                                          api::Condition ready,
                                          std::optional<api::ACMEIssuerStatus> acme) {
  auto written = co_await k8s::modify<T>(
      client, issuer.namespace_, issuer.name,
      [&](T& object) {
        const auto before = object.status;
        set_condition(object.status.conditions, ready);
        if (acme)
          object.status.acme = acme;
        return !(object.status == before);
      },
      k8s::Target::Status);
  co_return written ? Status{} : Status{written.error()};
}

}  // namespace

asio::awaitable<Result<std::string>> AcmeAccounts::account_key(const std::string& ns,
                                                               const api::ACMEIssuer& acme,
                                                               bool create_key) {
  const std::string& key_secret = acme.private_key_secret_ref.name;
  const std::string field = key_field(acme.private_key_secret_ref);
  if (key_secret.empty())
    co_return Error(Errc::missing_field, "spec.acme.privateKeySecretRef.name is empty");
  auto secret = co_await shard_.get_secret(ns, key_secret);
  if (!secret)
    co_return secret.error();
  if (std::string key_pem = *secret ? secret_value(**secret, field) : std::string();
      !key_pem.empty())
    co_return key_pem;
  if (!create_key || acme.disable_account_key_generation)
    co_return Error(Errc::missing_field,
                    "the ACME account key Secret " + ns + "/" + key_secret + " (key " + field +
                        ") does not exist" +
                        (acme.disable_account_key_generation
                             ? " and disableAccountKeyGeneration is set: create it"
                             : " yet"));
  if (*secret)
    co_return Error(Errc::missing_field, "the Secret " + ns + "/" + key_secret +
                                             " exists without the ACME account key (" + field +
                                             "): certmill does not overwrite it");
  auto key = issuers::acme::new_account_key();
  if (!key)
    co_return key.error();
  auto pem = pki::encode_private_key(*key, api::PrivateKeyEncoding::PKCS1);
  if (!pem)
    co_return pem.error();
  api::Secret made;
  made.metadata.namespace_ = ns;
  made.metadata.name = key_secret;
  made.data[field] = api::Bytes{*pem};
  auto created = co_await shard_.client.create(made);
  if (created)
    co_return std::move(*pem);
  if (!k8s::is_conflict(created.error()))
    co_return created.error();
  // Another shard or a restarted certmill made it first: use theirs.
  auto theirs = co_await shard_.get_secret(ns, key_secret);
  if (!theirs)
    co_return theirs.error();
  if (!*theirs)
    co_return Error(Errc::missing_field, "the ACME account key Secret vanished");
  co_return secret_value(**theirs, field);
}

asio::awaitable<Result<issuers::acme::OpenAccount>> AcmeAccounts::open(const IssuerView& issuer,
                                                                       const api::ACMEIssuer& acme,
                                                                       bool create_key) {
  const std::string ns = issuer_secret_namespace(issuer, shard_.options.cluster_resource_namespace);
  auto key_pem = co_await account_key(ns, acme, create_key);
  if (!key_pem)
    co_return key_pem.error();
  issuers::acme::AccountSettings settings;
  settings.server = acme.server;
  settings.ca_bundle_pem = acme.ca_bundle.data;
  settings.skip_tls_verify = acme.skip_tls_verify;
  settings.account_key_pem = std::move(*key_pem);
  settings.request_observer = std::make_shared<AcmeRequestMetrics>(shard_.metrics);
  // A 429 comes back at once, to close only the budget it names in the
  // account's rate-limit line (RateGate), not every order of the shard.
  settings.new_orders.gate = false;
  if (!acme.email.empty())
    settings.emails.push_back(acme.email);
  if (const auto& eab = acme.external_account_binding) {
    auto mac_secret = co_await shard_.get_secret(ns, eab->key_secret_ref.name);
    if (!mac_secret)
      co_return mac_secret.error();
    const std::string mac =
        *mac_secret ? secret_value(**mac_secret, eab->key_secret_ref.key) : std::string();
    if (mac.empty())
      co_return Error(Errc::missing_field, "the External Account Binding key " + ns + "/" +
                                               eab->key_secret_ref.name + " (key " +
                                               eab->key_secret_ref.key + ") does not exist");
    settings.binding = issuers::acme::ExternalAccountBinding{eab->key_id, mac};
  }
  // Registered once in the process: the first client to open it registers,
  // every other one signs with the URL it found.
  std::string account =
      settings.server + "\n" + issuers::acme::account_key_hash(settings.account_key_pem) + "\n" +
      acme.email + "\n" + (settings.binding ? settings.binding->key_id : std::string());
  std::shared_ptr<issuers::acme::Client> registered_here;
  auto url = co_await registrations_.url(
      std::move(account), [&]() -> asio::awaitable<Result<std::string>> {
        auto opened = co_await issuers::acme::open_account(shard_.shard.executor(), settings,
                                                           shard_.reactor.clock());
        if (!opened)
          co_return opened.error();
        registered_here = std::move(opened->client);
        co_return std::move(opened->url);
      });
  if (!url)
    co_return url.error();
  if (registered_here)
    co_return issuers::acme::OpenAccount{std::move(registered_here), std::move(*url)};
  settings.known_url = std::move(*url);
  co_return co_await issuers::acme::open_account(shard_.shard.executor(), std::move(settings),
                                                 shard_.reactor.clock());
}

asio::awaitable<Status> AcmeAccounts::sync(bool cluster, const std::string& key,
                                           const IssuerView& issuer) {
  auto spec = co_await fetch_issuer_spec(shard_.client, issuer);
  if (!spec)
    co_return k8s::is_not_found(spec.error()) ? Status{} : Status{spec.error()};
  if (!spec->acme)
    co_return Status{};
  const api::ACMEIssuer& acme = *spec->acme;
  auto account = co_await open(issuer, acme, true);
  api::Condition ready;
  ready.type = "Ready";
  std::optional<api::ACMEIssuerStatus> status;
  if (account) {
    ready.status = api::ConditionStatus::True;
    ready.reason = kRegistered;
    ready.message = kRegisteredMessage;
    const std::string ns =
        issuer_secret_namespace(issuer, shard_.options.cluster_resource_namespace);
    auto secret = co_await shard_.get_secret(ns, acme.private_key_secret_ref.name);
    status = api::ACMEIssuerStatus{account->url, acme.email,
                                   secret && *secret
                                       ? issuers::acme::account_key_hash(secret_value(
                                             **secret, key_field(acme.private_key_secret_ref)))
                                       : std::string()};
  } else {
    ready.status = api::ConditionStatus::False;
    ready.reason = kRegisterFailed;
    ready.message = "Failed to register ACME account: " + account.error().message();
  }
  ready.last_transition_time = shard_.now();
  ready.observed_generation = issuer.generation;
  const bool changed = !issuer.ready.present || issuer.ready.status != ready.status ||
                       issuer.ready.reason != ready.reason;
  const Status written =
      cluster ? co_await write_acme_status<api::ClusterIssuer>(shard_.client, issuer, ready, status)
              : co_await write_acme_status<api::Issuer>(shard_.client, issuer, ready, status);
  if (!written)
    co_return written;
  if (changed) {
    co_await shard_.record(shard_.issuer_events, issuer_reference(issuer),
                           {{account ? "Normal" : "Warning", ready.reason, ready.message}});
  }
  if (!account) {
    log::warn("an ACME issuer could not register its account",
              {{"issuer", key}, {"error", account.error().message()}});
    // A CA that said when to come back is asked then; otherwise a minute.
    const auto after = account.error().retry_after().value_or(std::chrono::seconds(60));
    shard_.runner.enqueue(cluster ? shard_.kinds.cluster_issuer : shard_.kinds.issuer, key,
                          shard_.now() + after);
  }
  co_return Status{};
}

asio::awaitable<Result<std::shared_ptr<issuers::Backend>>> AcmeAccounts::signer(
    const IssuerView& issuer, const api::ACMEIssuer& acme) {
  auto account = co_await open(issuer, acme, false);
  if (!account)
    co_return account.error();
  const auto retry =
      std::chrono::duration_cast<std::chrono::seconds>(shard_.options.dns01_check_retry_period);
  co_return std::make_shared<issuers::acme::AcmeBackend>(
      std::move(account->client),
      issuers::acme::OrderSettings{acme.preferred_chain, acme.profile, acme.enable_duration_feature,
                                   retry});
}

}  // namespace certmill::controller
