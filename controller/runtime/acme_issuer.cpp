// ACME issuers on a shard: the Issuer's account (key generated into
// privateKeySecretRef when missing, registered with the CA, status.acme and
// Ready written as cert-manager writes them) and the signer its
// CertificateRequests go through, one per shard since a connection pool
// lives on its shard. Orders run beside the reconciles: they take seconds
// to minutes, and their request's status write wakes the Certificate.
#include "controller/http01_solver.hpp"
#include "controller/issuer_readiness.hpp"
#include "controller/runtime/shard_controller.hpp"
#include "controller/status_writes.hpp"
#include "core/log.hpp"
#include "issuers/acme/identifiers.hpp"
#include "issuers/acme/issuer.hpp"
#include "k8s/api_error.hpp"
#include "k8s/modify.hpp"
#include "solvers/selection.hpp"

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
asio::awaitable<Result<T>> write_acme_status(k8s::Client& client, const IssuerView& issuer,
                                             api::Condition ready,
                                             std::optional<api::ACMEIssuerStatus> acme) {
  co_return co_await k8s::modify<T>(
      client, issuer.namespace_, issuer.name,
      [&](T& object) {
        const auto before = object.status;
        set_condition(object.status.conditions, ready);
        if (acme)
          object.status.acme = acme;
        return !(object.status == before);
      },
      k8s::Target::Status);
}

template <class T>
Status as_status(const Result<T>& result) {
  return result ? Status{} : Status{result.error()};
}

}  // namespace

asio::awaitable<Result<api::IssuerSpec>> ShardController::fetch_issuer_spec(
    const IssuerView& issuer) {
  if (issuer.cluster) {
    auto object = co_await client_.get<api::ClusterIssuer>("", issuer.name);
    if (!object)
      co_return object.error();
    co_return std::move(object->spec);
  }
  auto object = co_await client_.get<api::Issuer>(issuer.namespace_, issuer.name);
  if (!object)
    co_return object.error();
  co_return std::move(object->spec);
}

asio::awaitable<Result<issuers::acme::OpenAccount>> ShardController::open_acme_account(
    const IssuerView& issuer, const api::ACMEIssuer& acme, bool create_key) {
  const std::string ns = issuer_secret_namespace(issuer, options_.cluster_resource_namespace);
  const std::string& key_secret = acme.private_key_secret_ref.name;
  if (key_secret.empty())
    co_return Error(Errc::missing_field, "spec.acme.privateKeySecretRef.name is empty");
  auto secret = co_await get_secret(ns, key_secret);
  if (!secret)
    co_return secret.error();
  std::string key_pem =
      *secret ? secret_value(**secret, key_field(acme.private_key_secret_ref)) : std::string();
  if (key_pem.empty()) {
    if (!create_key || acme.disable_account_key_generation)
      co_return Error(Errc::missing_field,
                      "the ACME account key Secret " + ns + "/" + key_secret + " (key " +
                          key_field(acme.private_key_secret_ref) + ") does not exist" +
                          (acme.disable_account_key_generation
                               ? " and disableAccountKeyGeneration is set: create it"
                               : " yet"));
    if (*secret)
      co_return Error(Errc::missing_field, "the Secret " + ns + "/" + key_secret +
                                               " exists without the ACME account key (" +
                                               key_field(acme.private_key_secret_ref) +
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
    made.data[key_field(acme.private_key_secret_ref)] = api::Bytes{*pem};
    auto created = co_await client_.create(made);
    if (!created && !k8s::is_conflict(created.error()))
      co_return created.error();
    if (!created) {
      // Another shard or a restarted certmill made it first: use theirs.
      auto theirs = co_await get_secret(ns, key_secret);
      if (!theirs)
        co_return theirs.error();
      if (!*theirs)
        co_return Error(Errc::missing_field, "the ACME account key Secret vanished");
      key_pem = secret_value(**theirs, key_field(acme.private_key_secret_ref));
    } else {
      key_pem = std::move(*pem);
    }
  }
  issuers::acme::AccountSettings settings;
  settings.server = acme.server;
  settings.ca_bundle_pem = acme.ca_bundle.data;
  settings.skip_tls_verify = acme.skip_tls_verify;
  settings.account_key_pem = std::move(key_pem);
  if (!acme.email.empty())
    settings.emails.push_back(acme.email);
  if (const auto& eab = acme.external_account_binding) {
    auto mac_secret = co_await get_secret(ns, eab->key_secret_ref.name);
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
  co_return co_await issuers::acme::open_account(shard_.executor(), std::move(settings),
                                                 reactor_.clock());
}

asio::awaitable<Status> ShardController::sync_acme_issuer(bool cluster, const std::string& key,
                                                          const IssuerView& issuer) {
  auto spec = co_await fetch_issuer_spec(issuer);
  if (!spec)
    co_return k8s::is_not_found(spec.error()) ? Status{} : Status{spec.error()};
  if (!spec->acme)
    co_return Status{};
  const api::ACMEIssuer& acme = *spec->acme;
  auto account = co_await open_acme_account(issuer, acme, true);
  api::Condition ready;
  ready.type = "Ready";
  std::optional<api::ACMEIssuerStatus> status;
  if (account) {
    ready.status = api::ConditionStatus::True;
    ready.reason = kRegistered;
    ready.message = kRegisteredMessage;
    const std::string ns = issuer_secret_namespace(issuer, options_.cluster_resource_namespace);
    auto secret = co_await get_secret(ns, acme.private_key_secret_ref.name);
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
  ready.last_transition_time = now();
  ready.observed_generation = issuer.generation;
  const bool changed = !issuer.ready.present || issuer.ready.status != ready.status ||
                       issuer.ready.reason != ready.reason;
  const Status written =
      cluster ? as_status(
                    co_await write_acme_status<api::ClusterIssuer>(client_, issuer, ready, status))
              : as_status(co_await write_acme_status<api::Issuer>(client_, issuer, ready, status));
  if (!written)
    co_return written;
  if (changed) {
    const api::ObjectReference ref{"cert-manager.io/v1",
                                   cluster ? "ClusterIssuer" : "Issuer",
                                   issuer.name,
                                   issuer.namespace_,
                                   issuer.uid,
                                   {},
                                   {}};
    co_await record(issuer_events_, ref,
                    {{account ? "Normal" : "Warning", ready.reason, ready.message}});
  }
  if (!account) {
    log::warn("an ACME issuer could not register its account",
              {{"issuer", key}, {"error", account.error().message()}});
    // A CA that said when to come back is asked then; otherwise a minute.
    const auto after = account.error().retry_after().value_or(std::chrono::seconds(60));
    runner_.enqueue(cluster ? kinds_.cluster_issuer : kinds_.issuer, key, now() + after);
  }
  co_return Status{};
}

asio::awaitable<Result<std::shared_ptr<issuers::Backend>>> ShardController::acme_signer(
    const IssuerView& issuer, const api::ACMEIssuer& acme) {
  auto account = co_await open_acme_account(issuer, acme, false);
  if (!account)
    co_return account.error();
  co_return std::make_shared<issuers::acme::AcmeBackend>(
      std::move(account->client),
      std::make_shared<Http01Solver>(*options_.http01, options_.http01_self_check),
      issuers::acme::OrderSettings{acme.preferred_chain, acme.profile,
                                   acme.enable_duration_feature});
}

Status ShardController::check_acme_names(const api::ACMEIssuer& acme,
                                         const api::CertificateRequest& request) const {
  auto csr = issuers::acme::read_order_csr(request.spec.request.data);
  if (!csr)
    return csr.error();
  // certmill answers HTTP-01 itself and has no DNS-01 provider yet: every
  // name needs an HTTP-01 solver, which no wildcard can have.
  static constexpr api::AcmeChallengeType kHttp01Only[] = {api::AcmeChallengeType::HTTP01};
  for (const auto& identifier : csr->identifiers) {
    if (identifier.type != "dns")
      continue;
    auto chosen = solvers::select_solver(acme.solvers, request.metadata.labels, identifier.value,
                                         kHttp01Only);
    if (!chosen)
      return chosen.error();
  }
  return Status{};
}

}  // namespace certmill::controller
