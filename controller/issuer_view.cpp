// Issuer / ClusterIssuer → IssuerView.
#include "controller/issuer_view.hpp"

#include "controller/certificate_validation.hpp"
#include "controller/issuer_validation.hpp"
#include "core/ratelimits/limits.hpp"

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
  v.type = issuer_type_of(spec);
  if (auto errors = issuer_spec_errors(spec); !errors.empty())
    v.spec_error = aggregate_errors(errors);
  if (v.type == IssuerType::CA)
    v.ca_secret_name = std::move(spec.ca->secret_name);
  if (v.type == IssuerType::ACME) {
    v.acme_server = std::move(spec.acme->server);
    v.acme_key_secret =
        (cluster ? std::string() : v.namespace_) + "/" + spec.acme->private_key_secret_ref.name;
    if (auto limits = meta.annotations.find(std::string(ratelimits::kRateLimitsAnnotation));
        limits != meta.annotations.end())
      v.rate_limits = std::move(limits->second);
    // A bad annotation is a bad spec: the issuer is not Ready, and says why.
    if (auto parsed = ratelimits::parse_rate_limits(v.rate_limits); !parsed)
      v.spec_error += (v.spec_error.empty() ? "" : ", ") + parsed.error().message();
  }
  v.ready = condition_view(status.conditions, "Ready");
  return v;
}

}  // namespace

IssuerType issuer_type_of(const api::IssuerSpec& spec) {
  if (spec.acme)
    return IssuerType::ACME;
  if (spec.ca)
    return IssuerType::CA;
  if (spec.self_signed)
    return IssuerType::SelfSigned;
  if (spec.vault)
    return IssuerType::Vault;
  if (!spec.venafi.text.empty())
    return IssuerType::Venafi;
  return IssuerType::None;
}

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
