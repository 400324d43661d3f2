// Desired Certificates of Ingress-like objects, and the sync plan.
#include "controller/shim_certificate.hpp"

#include <algorithm>

#include "controller/shim_annotations.hpp"
#include "controller/shim_issuer_config.hpp"
#include "core/pki/names.hpp"

namespace certmill::controller {

api::Certificate shim_certificate(const ShimOwner& owner, const std::string& secret_name,
                                  const std::vector<std::string>& hosts,
                                  const api::IssuerRef& issuer, const api::StringMap& extra) {
  api::Certificate crt;
  crt.metadata.name = secret_name;
  crt.metadata.namespace_ = owner.meta.namespace_;
  crt.metadata.labels = owner.meta.labels;
  crt.metadata.annotations = extra;
  crt.metadata.owner_references = {{std::string(owner.api_version), std::string(owner.kind),
                                    owner.meta.name, owner.meta.uid, true, true}};
  for (const std::string& host : hosts) {
    (pki::parse_ip(host) ? crt.spec.ip_addresses : crt.spec.dns_names).push_back(host);
  }
  crt.spec.secret_name = secret_name;
  crt.spec.issuer_ref = issuer;
  crt.spec.usages = {api::KeyUsage::DigitalSignature, api::KeyUsage::KeyEncipherment};
  set_issuer_specific_config(owner.meta, crt);
  return crt;
}

void apply_annotations_or_fail(const api::StringMap& annotations, ShimResult& result) {
  for (api::Certificate& crt : result.certificates) {
    if (Status st = apply_shim_annotations(annotations, crt.spec); !st) {
      result.valid = false;
      result.certificates.clear();
      result.events.push_back({"Warning", "BadConfig", st.error().message()});
      return;
    }
  }
}

ShimPlan plan_shim(const ShimResult& desired, const HashedKey& owner_uid,
                   const std::vector<const CertificateView*>& existing) {
  ShimPlan plan;
  if (!desired.managed || !desired.valid)
    return plan;
  const auto by_name = [&](const std::string& name) -> const CertificateView* {
    for (const CertificateView* v : existing) {
      if (v->name == name)
        return v;
    }
    return nullptr;
  };
  for (const api::Certificate& crt : desired.certificates) {
    const CertificateView* have = by_name(crt.metadata.name);
    if (!have)
      plan.create.push_back(crt);
    else if (have->owner_uid == owner_uid && have->spec_hash != certificate_spec_hash(crt.spec))
      plan.update.push_back(crt);
  }
  for (const CertificateView* v : existing) {
    const bool wanted =
        std::any_of(desired.certificates.begin(), desired.certificates.end(),
                    [&](const api::Certificate& crt) { return crt.metadata.name == v->name; });
    if (v->owner_uid == owner_uid && !wanted)
      plan.remove.push_back(v->name);
  }
  return plan;
}

std::string field_errors(const std::vector<std::string>& errors) {
  if (errors.size() == 1)
    return errors.front();
  std::string out = "[";
  for (std::size_t i = 0; i < errors.size(); ++i)
    out += (i ? ", " : "") + errors[i];
  return out + "]";
}

}  // namespace certmill::controller
