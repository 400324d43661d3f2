// Certificate → CertificateView.
#include "controller/certificate_view.hpp"

#include <algorithm>

#include "controller/certificate_validation.hpp"
#include "controller/digest.hpp"
#include "core/api/codec.hpp"

namespace certmill::controller {

uint64_t certificate_spec_hash(const api::CertificateSpec& spec) {
  // The encoder is the one stable, complete walk over every spec field.
  api::Certificate only_spec;
  only_spec.spec = spec;
  return digest_of(api::encode(only_spec));
}

api::IssuerRef with_defaults(api::IssuerRef ref) {
  if (ref.kind.empty())
    ref.kind = "Issuer";
  if (ref.group.empty())
    ref.group = "cert-manager.io";
  return ref;
}

api::IssuerRef with_defaults(const IssuerRefView& ref) {
  return with_defaults(ref.full());
}

CertificateView project_certificate(api::Certificate&& crt) {
  CertificateView v;
  api::ObjectMeta& meta = crt.metadata;
  v.namespace_ = std::move(meta.namespace_);
  v.name = std::move(meta.name);
  v.uid = uid_key(meta.uid);
  v.resource_version = std::move(meta.resource_version);
  v.generation = meta.generation;
  v.deleting = meta.deletion_timestamp.has_value();
  for (api::OwnerReference& ref : meta.owner_references) {
    if (ref.controller.value_or(false))
      v.owner_uid = uid_key(ref.uid);
  }

  api::CertificateSpec& spec = crt.spec;
  if (const auto errors = certificate_spec_errors(spec); !errors.empty())
    v.rare.edit().spec_error = aggregate_errors(errors);
  v.spec_hash = certificate_spec_hash(spec);
  v.want = spec_digests(spec);
  auto key = pki::key_spec_for(spec.private_key);
  if (key)
    v.key = *key;
  else
    v.rare.edit().key_error = key.error().message();
  if (spec.secret_template) {
    for (auto& [name, value] : spec.secret_template->labels)
      v.rare.edit().secret_template.emplace_back("label:" + name, std::move(value));
    for (auto& [name, value] : spec.secret_template->annotations)
      v.rare.edit().secret_template.emplace_back("annotation:" + name, std::move(value));
    auto& entries = v.rare.edit().secret_template;
    std::sort(entries.begin(), entries.end());
  }
  for (const api::AdditionalOutputFormat& format : spec.additional_output_formats) {
    (format.type == api::OutputFormat::CombinedPEM ? v.wants_combined_pem : v.wants_der) = true;
  }
  v.secret_name = std::move(spec.secret_name);
  v.issuer_ref = std::move(spec.issuer_ref);
  v.duration = spec.duration;
  v.renew_before = spec.renew_before;
  v.renew_before_percentage = spec.renew_before_percentage;
  v.revision_history_limit = spec.revision_history_limit;
  v.renewal_disabled = renewal_disabled(spec);
  if (auto windows = renewal_windows(spec))
    v.rare.edit().renewal_windows = std::move(windows);

  api::CertificateStatus& status = crt.status;
  v.ready = condition_view(status.conditions, "Ready");
  v.issuing = condition_view(status.conditions, "Issuing");
  v.not_before = status.not_before;
  v.not_after = status.not_after;
  v.renewal_time = status.renewal_time;
  v.revision = status.revision;
  v.failed_issuance_attempts = status.failed_issuance_attempts;
  v.last_failure_time = status.last_failure_time;
  if (!status.next_private_key_secret_name.empty())
    v.rare.edit().next_private_key_secret_name = std::move(status.next_private_key_secret_name);
  v.rare.shrink();
  return v;
}

}  // namespace certmill::controller
