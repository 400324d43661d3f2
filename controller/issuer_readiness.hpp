// Issuer and ClusterIssuer readiness as a pure function: SelfSigned is Ready;
// a CA issuer is Ready when its Secret holds a valid CA key pair (present,
// parseable, matching, a CA, valid now). Reasons and messages are
// cert-manager's; ACME and Vault decide their own readiness elsewhere.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "controller/certificate_reconciler.hpp"
#include "controller/issuer_view.hpp"
#include "core/api/event.hpp"
#include "core/api/secret.hpp"

namespace certmill::controller {

// Where an issuer's Secrets live: its own namespace, or for a ClusterIssuer
// the cluster resource namespace (--cluster-resource-namespace).
std::string issuer_secret_namespace(const IssuerView& issuer,
                                    std::string_view cluster_resource_namespace);

// The Issuer or ClusterIssuer, as its Events name it.
api::ObjectReference issuer_reference(const IssuerView& issuer);

struct IssuerReadinessInput {
  const IssuerView& issuer;
  // For a CA issuer: spec.ca.secretName in issuer_secret_namespace, fetched
  // by name; null when it does not exist.
  const api::Secret* ca_secret = nullptr;
  Time now;
};

struct IssuerDecision {
  // The Ready condition to set, only when it differs from the issuer's.
  std::optional<api::Condition> ready;
  std::vector<EventNote> events;
  // When the answer changes by itself: the CA certificate's notBefore or notAfter.
  std::optional<Time> requeue_at;
};

// Nothing to decide for issuer types certmill does not judge here (ACME,
// Vault, Venafi): the decision is empty.
IssuerDecision reconcile_issuer(const IssuerReadinessInput& in,
                                std::string_view cluster_resource_namespace);

}  // namespace certmill::controller
