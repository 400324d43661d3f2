// What ingress-shim and gateway-shim share: the Certificate an Ingress-like
// object asks for (one per Secret, owned by the object, annotations applied),
// and the plan that brings the cluster's Certificates in line with it —
// create the missing, put back edited ones, delete the ones no longer asked
// for — touching only Certificates the object controls.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "controller/certificate_reconciler.hpp"
#include "controller/certificate_view.hpp"
#include "controller/shim_selection.hpp"

namespace certmill::controller {

struct ShimResult {
  // The object asks for Certificates (issuer annotations, or tls-acme).
  bool managed = false;
  // False when the object's configuration is broken as a whole (bad
  // annotations, conflicting issuers): its existing Certificates stay as
  // they are, and `certificates` is empty.
  bool valid = true;
  std::vector<api::Certificate> certificates;
  std::vector<EventNote> events;  // Warning BadConfig, one per problem
};

struct ShimOwner {
  const api::ObjectMeta& meta;
  std::string_view api_version;  // "networking.k8s.io/v1"
  std::string_view kind;         // "Ingress"
};

// hosts that parse as IP addresses become ipAddresses, the rest dnsNames;
// usages default to cert-manager's (digital signature, key encipherment);
// the Certificate's annotations are `extra` (extra_certificate_annotations)
// and, over them, those the owner's ACME annotations ask for
// (shim_issuer_config).
api::Certificate shim_certificate(const ShimOwner& owner, const std::string& secret_name,
                                  const std::vector<std::string>& hosts,
                                  const api::IssuerRef& issuer, const api::StringMap& extra);

// Applies the annotations to every Certificate; a malformed one turns the
// result invalid with one BadConfig Event.
void apply_annotations_or_fail(const api::StringMap& annotations, ShimResult& result);

struct ShimPlan {
  std::vector<api::Certificate> create;
  std::vector<api::Certificate> update;  // spec differs from the desired one
  std::vector<std::string> remove;       // controlled by the object, no longer asked for
};

// `existing`: the Certificates of the object's namespace (or at least those
// it controls and those with the desired names). Certificates with a desired
// name that the object does not control are left alone, as cert-manager does.
ShimPlan plan_shim(const ShimResult& desired, const HashedKey& owner_uid,
                   const std::vector<const CertificateView*>& existing);

// A Kubernetes field error list as its aggregate prints: one error alone,
// several as "[a, b]".
std::string field_errors(const std::vector<std::string>& errors);

}  // namespace certmill::controller
