// What the Issuer and ClusterIssuer caches keep: which kind of issuer it is,
// the Secret a CA issuer signs with, and its Ready condition.
#pragma once

#include <cstdint>
#include <string>

#include "controller/condition_view.hpp"
#include "core/api/issuer.hpp"

namespace certmill::controller {

enum class IssuerType : uint8_t { None, ACME, CA, SelfSigned, Vault, Venafi };

// The first of the spec's issuer fields that is set, as cert-manager reads it.
IssuerType issuer_type_of(const api::IssuerSpec& spec);
// The spec field's name: "acme", "ca", "selfSigned", ...
const char* issuer_type_name(IssuerType type);

struct IssuerView {
  bool cluster = false;  // a ClusterIssuer; namespace_ is then empty
  std::string namespace_;
  std::string name;
  std::string uid;
  int64_t generation = 0;
  IssuerType type = IssuerType::None;
  std::string ca_secret_name;  // spec.ca.secretName
  // ACME: the directory and the account key's Secret (namespace/name; the
  // namespace empty for a ClusterIssuer), the account the CA counts orders
  // against; and the certmill.io/rate-limits annotation as written.
  std::string acme_server;
  std::string acme_key_secret;
  std::string rate_limits;
  // The webhook rules the spec breaks, as one message; empty when none.
  std::string spec_error;
  ConditionView ready;
  bool operator==(const IssuerView&) const = default;
};

IssuerView project_issuer(api::Issuer&& issuer);
IssuerView project_cluster_issuer(api::ClusterIssuer&& issuer);

}  // namespace certmill::controller
