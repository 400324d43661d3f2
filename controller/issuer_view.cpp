// Issuer / ClusterIssuer → IssuerView.
#include "controller/issuer_view.hpp"

namespace certmill::controller {

namespace {

IssuerView project(api::ObjectMeta&& meta, api::IssuerSpec&& spec, api::IssuerStatus&& status,
                   bool cluster) {
  IssuerView v;
  v.cluster = cluster;
  v.namespace_ = std::move(meta.namespace_);
  v.name = std::move(meta.name);
  v.uid = std::move(meta.uid);
  v.generation = meta.generation;
  if (spec.acme) {
    v.type = IssuerType::ACME;
  } else if (spec.ca) {
    v.type = IssuerType::CA;
    v.ca_secret_name = std::move(spec.ca->secret_name);
  } else if (spec.self_signed) {
    v.type = IssuerType::SelfSigned;
  } else if (spec.vault) {
    v.type = IssuerType::Vault;
  } else if (!spec.venafi.text.empty()) {
    v.type = IssuerType::Venafi;
  }
  v.ready = condition_view(status.conditions, "Ready");
  return v;
}

}  // namespace

const char* issuer_type_name(IssuerType type) {
  switch (type) {
    case IssuerType::None:
      return "none";
    case IssuerType::ACME:
      return "acme";
    case IssuerType::CA:
      return "ca";
    case IssuerType::SelfSigned:
      return "selfSigned";
    case IssuerType::Vault:
      return "vault";
    case IssuerType::Venafi:
      return "venafi";
  }
  return "none";
}

IssuerView project_issuer(api::Issuer&& issuer) {
  return project(std::move(issuer.metadata), std::move(issuer.spec), std::move(issuer.status),
                 false);
}

IssuerView project_cluster_issuer(api::ClusterIssuer&& issuer) {
  return project(std::move(issuer.metadata), std::move(issuer.spec), std::move(issuer.status),
                 true);
}

}  // namespace certmill::controller
