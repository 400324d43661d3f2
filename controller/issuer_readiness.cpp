// SelfSigned and CA readiness.
#include "controller/issuer_readiness.hpp"

#include "core/pki/ca_keypair.hpp"

namespace certmill::controller {

namespace {

using api::ConditionStatus;

struct Verdict {
  ConditionStatus status;
  std::string reason;
  std::string message;
};

const std::string& data(const api::Secret& s, const char* key) {
  static const std::string empty;
  auto it = s.data.find(key);
  return it == s.data.end() ? empty : it->second.data;
}

Verdict ca_verdict(const IssuerReadinessInput& in, const std::string& secret_ns,
                   std::optional<Time>& requeue_at) {
  const std::string& name = in.issuer.ca_secret_name;
  if (!in.ca_secret) {
    return {ConditionStatus::False, "ErrGetKeyPair",
            "Error getting keypair for CA issuer: secrets \"" + name + "\" not found"};
  }
  const std::string& crt = data(*in.ca_secret, "tls.crt");
  const std::string& key = data(*in.ca_secret, "tls.key");
  if (crt.empty() || key.empty()) {
    return {ConditionStatus::False, "ErrGetKeyPair",
            "Error getting keypair for CA issuer: secret \"" + secret_ns + "/" + name +
                "\" has no " + (crt.empty() ? "tls.crt" : "tls.key")};
  }
  auto pair = pki::load_ca_key_pair(crt, key, in.now, secret_ns + "/" + name);
  if (!pair)
    return {ConditionStatus::False, "ErrInvalidKeyPair",
            "Invalid signing key pair: " + pair.error().message()};
  requeue_at = pair->chain.front().info().not_after;
  return {ConditionStatus::True, "KeyPairVerified", "Signing CA verified"};
}

// A CA that is not valid yet becomes valid by itself: look again then.
std::optional<Time> not_yet_valid_until(const IssuerReadinessInput& in) {
  if (!in.ca_secret)
    return std::nullopt;
  auto it = in.ca_secret->data.find("tls.crt");
  if (it == in.ca_secret->data.end())
    return std::nullopt;
  auto cert = pki::parse_certificate(it->second.data, "tls.crt");
  if (cert && cert->info().not_before > in.now)
    return cert->info().not_before;
  return std::nullopt;
}

}  // namespace

std::string issuer_secret_namespace(const IssuerView& issuer,
                                    std::string_view cluster_resource_namespace) {
  return issuer.cluster ? std::string(cluster_resource_namespace) : issuer.namespace_;
}

api::ObjectReference issuer_reference(const IssuerView& issuer) {
  return {"cert-manager.io/v1",
          issuer.cluster ? "ClusterIssuer" : "Issuer",
          issuer.name,
          issuer.namespace_,
          issuer.uid,
          {},
          {}};
}

IssuerDecision reconcile_issuer(const IssuerReadinessInput& in,
                                std::string_view cluster_resource_namespace) {
  IssuerDecision d;
  Verdict v;
  if (!in.issuer.spec_error.empty()) {
    // The webhook would have refused it; whatever its type, it cannot work.
    v = {ConditionStatus::False, "ConfigError",
         "Resource validation failed: " + in.issuer.spec_error};
  } else {
    switch (in.issuer.type) {
      case IssuerType::SelfSigned:
        v = {ConditionStatus::True, "IsReady", ""};
        break;
      case IssuerType::CA:
        v = ca_verdict(in, issuer_secret_namespace(in.issuer, cluster_resource_namespace),
                       d.requeue_at);
        if (v.status != ConditionStatus::True)
          d.requeue_at = not_yet_valid_until(in);
        break;
      // A spec with no type has a spec_error.
      case IssuerType::None:
      case IssuerType::ACME:
      case IssuerType::Vault:
      case IssuerType::Venafi:
        return d;
    }
  }
  const ConditionView& have = in.issuer.ready;
  const bool same_status = have.present && have.status == v.status && have.last_transition_time;
  api::Condition ready{"Ready",
                       v.status,
                       v.reason,
                       v.message,
                       same_status ? *have.last_transition_time : in.now,
                       in.issuer.generation};
  if (!condition_differs(have, ready))
    return d;
  if (v.status != ConditionStatus::True)
    d.events.push_back({"Warning", v.reason, v.message});
  d.ready = std::move(ready);
  return d;
}

}  // namespace certmill::controller
