// An Issuer's or ClusterIssuer's reconcile: read its CA Secret by name when it
// has one, ask the readiness reconciler, and write the Ready condition only
// when it changes. The CA Secret is not watched, so a CA issuer is looked at
// again every --issuer-recheck. ACME issuers register their account
// (acme_accounts.cpp).
#include "controller/runtime/issuer_effects.hpp"

#include "controller/issuer_readiness.hpp"
#include "controller/runtime/acme_accounts.hpp"
#include "controller/runtime/signers.hpp"
#include "controller/status_writes.hpp"
#include "core/json/writer.hpp"
#include "core/log.hpp"
#include "k8s/modify.hpp"

namespace certmill::controller {

namespace {

template <class T>
asio::awaitable<Status> set_ready(k8s::Client& client, const IssuerView& issuer,
                                  const api::Condition& ready) {
  auto written = co_await k8s::modify<T>(
      client, issuer.namespace_, issuer.name,
      [&](T& object) {
        set_condition(object.status.conditions, ready);
        return true;
      },
      k8s::Target::Status);
  co_return written ? Status{} : Status{written.error()};
}

bool names_issuer(const CertificateView& crt, bool cluster, const IssuerView& issuer) {
  const api::IssuerRef ref = with_defaults(crt.issuer_ref);
  if (ref.group != "cert-manager.io" || ref.name != issuer.name)
    return false;
  return cluster ? ref.kind == "ClusterIssuer"
                 : ref.kind == "Issuer" && crt.namespace_ == issuer.namespace_;
}

}  // namespace

bool IssuerEffects::owns(bool cluster) const {
  return !cluster || owner_shard(shard_.options.cluster_resource_namespace + "/",
                                 shard_.reactor.size()) == shard_.index;
}

asio::awaitable<Status> IssuerEffects::sync(bool cluster, const std::string& key) {
  const IssuerView* cached = cluster
                                 ? shard_.caches.cluster_issuers.partition(shard_.index).find(key)
                                 : shard_.caches.issuers.partition(shard_.index).find(key);
  if (!cached)
    co_return Status{};
  const IssuerView issuer = *cached;
  shard_.metrics.observe(series_[key], issuer);
  // An ACME issuer whose spec the webhook would refuse registers nothing:
  // reconcile_issuer says why.
  if (issuer.type == IssuerType::ACME && issuer.spec_error.empty())
    co_return co_await accounts_.sync(cluster, key, issuer);

  const std::string& cluster_namespace = shard_.options.cluster_resource_namespace;
  std::optional<api::Secret> ca_secret;
  if (issuer.type == IssuerType::CA && !issuer.ca_secret_name.empty()) {
    auto secret = co_await shard_.get_secret(issuer_secret_namespace(issuer, cluster_namespace),
                                             issuer.ca_secret_name);
    if (!secret)
      co_return secret.error();
    ca_secret = std::move(*secret);
  }
  const Time now = shard_.now();
  IssuerDecision decision =
      reconcile_issuer({issuer, ca_secret ? &*ca_secret : nullptr, now}, cluster_namespace);
  if (decision.ready) {
    const Status written =
        cluster ? co_await set_ready<api::ClusterIssuer>(shard_.client, issuer, *decision.ready)
                : co_await set_ready<api::Issuer>(shard_.client, issuer, *decision.ready);
    if (!written)
      co_return written;
  }
  co_await shard_.record(shard_.issuer_events, issuer_reference(issuer), decision.events);
  std::optional<Time> again = decision.requeue_at;
  if (issuer.type == IssuerType::CA) {
    const Time recheck =
        now + std::chrono::duration_cast<std::chrono::seconds>(shard_.options.issuer_recheck);
    if (!again || recheck < *again)
      again = recheck;
  }
  if (again)
    shard_.runner.enqueue(cluster ? shard_.kinds.cluster_issuer : shard_.kinds.issuer, key, *again);
  co_return Status{};
}

void IssuerEffects::changed(bool cluster, const std::string& key, const IssuerView* before,
                            const IssuerView* after) {
  shard_.on_shard();
  if (owns(cluster)) {
    if (after) {
      shard_.runner.enqueue(cluster ? shard_.kinds.cluster_issuer : shard_.kinds.issuer, key);
    } else {
      series_.erase(key);
    }
  }
  const bool readiness_changed =
      !before || !after || before->ready.status != after->ready.status ||
      before->ready.reason != after->ready.reason || before->type != after->type ||
      before->generation != after->generation || before->rate_limits != after->rate_limits;
  if (!readiness_changed)
    return;
  // A signer (an ACME account session) outlives status writes that change
  // nothing about the issuer; a new spec or readiness opens it anew.
  signers_.forget(cluster, key);
  // Certificates waiting on this issuer look again.
  const IssuerView& issuer = after ? *after : *before;
  const auto& certificates = shard_.caches.certificates.partition(shard_.index);
  for (const CertificateView& crt : certificates.objects()) {
    if (names_issuer(crt, cluster, issuer))
      shard_.runner.enqueue(shard_.kinds.certificate, certificates.key_of(crt));
  }
}

void IssuerEffects::secret_changed(const SecretView& secret) {
  // A CA issuer's Secret, when certmill issued it (a bootstrapped root CA),
  // is cached: its issuer needs no recheck period to notice it.
  const auto& issuers = shard_.caches.issuers.partition(shard_.index);
  for (const IssuerView& issuer : issuers.objects()) {
    if (issuer.namespace_ == secret.namespace_ && issuer.ca_secret_name == secret.name)
      shard_.runner.enqueue(shard_.kinds.issuer, issuers.key_of(issuer));
  }
  if (secret.namespace_ == shard_.options.cluster_resource_namespace) {
    const auto& cluster_issuers = shard_.caches.cluster_issuers.partition(shard_.index);
    for (const IssuerView& issuer : cluster_issuers.objects()) {
      if (issuer.ca_secret_name == secret.name)
        shard_.runner.enqueue(shard_.kinds.cluster_issuer, cluster_issuers.key_of(issuer));
    }
  }
}

void IssuerEffects::undecodable(bool cluster, const api::InvalidObject& invalid) {
  const std::string key = cluster ? invalid.name : invalid.namespace_ + "/" + invalid.name;
  std::string field = invalid.error.message();
  if (field.starts_with("object."))
    field.erase(0, std::string_view("object.").size());
  const std::string message = "Resource validation failed: " + field;
  auto [said, added] = undecodable_said_.try_emplace(key, message);
  if (!added && said->second == message)
    return;
  said->second = message;
  shard_.shard.tasks().spawn([this, cluster, invalid, message]() -> asio::awaitable<void> {
    json::JsonWriter patch;
    patch.begin_object();
    patch.key("status");
    patch.begin_object();
    patch.key("conditions");
    patch.begin_array();
    patch.begin_object();
    for (const auto& [name, value] :
         {std::pair{"type", std::string("Ready")}, std::pair{"status", std::string("False")},
          std::pair{"reason", std::string("ConfigError")}, std::pair{"message", message},
          std::pair{"lastTransitionTime", format_time(shard_.now())}}) {
      patch.key(name);
      patch.string(value);
    }
    patch.end_object();
    patch.end_array();
    patch.end_object();
    patch.end_object();
    const Status written = cluster
                               ? co_await shard_.client.merge_patch_undecoded<api::ClusterIssuer>(
                                     {}, invalid.name, patch.take(), true)
                               : co_await shard_.client.merge_patch_undecoded<api::Issuer>(
                                     invalid.namespace_, invalid.name, patch.take(), true);
    if (!written) {
      log::warn("an issuer that does not decode could not be told why",
                {{"issuer", invalid.namespace_ + "/" + invalid.name},
                 {"error", written.error().message()}});
      co_return;
    }
    co_await shard_.record(shard_.issuer_events,
                           {"cert-manager.io/v1",
                            cluster ? "ClusterIssuer" : "Issuer",
                            invalid.name,
                            invalid.namespace_,
                            invalid.uid,
                            {},
                            {}},
                           {{"Warning", "ConfigError", message}});
  });
}

}  // namespace certmill::controller
