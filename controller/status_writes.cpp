// Status and request builders: cert-manager's wording, nothing else decided here.
#include "controller/status_writes.hpp"

#include <algorithm>
#include <charconv>

#include "controller/digest.hpp"

namespace certmill::controller {

namespace {

void approve(api::CertificateRequestStatus& status, Time now) {
  for (const auto& c : status.conditions) {
    if (c.type == "Approved")
      return;
  }
  set_condition(status.conditions, {"Approved", api::ConditionStatus::True, kApprovedReason,
                                    kApprovedMessage, now, std::nullopt});
}

std::optional<uint64_t> as_number(std::string_view text) {
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty())
    return std::nullopt;
  return value;
}

}  // namespace

void set_condition(std::vector<api::Condition>& conditions, api::Condition condition) {
  for (auto& c : conditions) {
    if (c.type == condition.type) {
      // As cert-manager's SetCertificateCondition / SetIssuerCondition: the
      // time is when the status last changed, not when it was last written.
      if (c.status == condition.status && c.last_transition_time)
        condition.last_transition_time = c.last_transition_time;
      c = std::move(condition);
      return;
    }
  }
  conditions.push_back(std::move(condition));
}

void apply_status(api::CertificateStatus& status, const StatusUpdate& update) {
  for (const auto& c : update.conditions)
    set_condition(status.conditions, c);
  status.not_before = update.not_before;
  status.not_after = update.not_after;
  status.renewal_time = update.renewal_time;
  status.revision = update.revision;
  status.failed_issuance_attempts = update.failed_issuance_attempts;
  status.last_failure_time = update.last_failure_time;
  status.next_private_key_secret_name = update.next_private_key_secret_name;
}

std::string request_name(std::string_view certificate, int32_t revision) {
  const std::string suffix = "-" + std::to_string(revision);
  constexpr std::size_t kMaxName = 253;
  if (certificate.size() + suffix.size() <= kMaxName)
    return std::string(certificate) + suffix;
  // Keep the name unique to its Certificate: a cut prefix plus a fingerprint
  // of the whole name.
  char hash[17];
  std::snprintf(hash, sizeof hash, "%016llx",
                static_cast<unsigned long long>(digest_of(certificate)));
  const std::size_t keep = kMaxName - suffix.size() - 17;
  return std::string(certificate.substr(0, keep)) + "-" + hash + suffix;
}

std::string request_key_secret_name(std::string_view request) {
  constexpr std::size_t kMaxName = 253;
  const std::string_view suffix = "-key";
  return std::string(request.substr(0, kMaxName - suffix.size())) + std::string(suffix);
}

api::StringMap copied_annotations(const api::StringMap& annotations,
                                  const std::vector<std::string>& prefixes) {
  const bool all = std::find(prefixes.begin(), prefixes.end(), "*") != prefixes.end();
  api::StringMap out;
  for (const std::string& entry : prefixes) {
    if (entry.starts_with("-")) {
      const std::string_view prefix = std::string_view(entry).substr(1);
      std::erase_if(out, [&](const auto& kv) { return kv.first.starts_with(prefix); });
      continue;
    }
    for (const auto& [key, value] : annotations) {
      if (all || key.starts_with(entry))
        out.insert_or_assign(key, value);
    }
  }
  return out;
}

api::CertificateRequest make_request(const api::Certificate& crt, int32_t revision,
                                     std::string csr_pem,
                                     const std::vector<std::string>& copied_prefixes) {
  api::CertificateRequest request;
  api::ObjectMeta& meta = request.metadata;
  meta.name = request_name(crt.metadata.name, revision);
  meta.namespace_ = crt.metadata.namespace_;
  meta.labels = crt.metadata.labels;
  // The HTTP-01 ingress overrides travel this way to the request's order.
  meta.annotations = copied_annotations(crt.metadata.annotations, copied_prefixes);
  meta.annotations["cert-manager.io/certificate-name"] = crt.metadata.name;
  meta.annotations["cert-manager.io/certificate-revision"] = std::to_string(revision);
  meta.annotations["cert-manager.io/private-key-secret-name"] = crt.spec.secret_name;
  meta.owner_references.push_back(
      {"cert-manager.io/v1", "Certificate", crt.metadata.name, crt.metadata.uid, true, true});
  request.spec.request.data = std::move(csr_pem);
  request.spec.issuer_ref = crt.spec.issuer_ref;
  request.spec.duration = crt.spec.duration;
  request.spec.is_ca = crt.spec.is_ca;
  request.spec.usages = crt.spec.usages;
  return request;
}

void mark_issued(api::CertificateRequestStatus& status, const issuers::Issued& issued, Time now) {
  approve(status, now);
  set_condition(status.conditions,
                {"Ready", api::ConditionStatus::True, "Issued",
                 "Certificate fetched from issuer successfully", now, std::nullopt});
  status.certificate.data = issued.chain_pem;
  status.ca.data = issued.ca_pem;
  status.failure_time = std::nullopt;
}

void mark_failed(api::CertificateRequestStatus& status, std::string message, Time now) {
  approve(status, now);
  set_condition(status.conditions, {"Ready", api::ConditionStatus::False, "Failed",
                                    std::move(message), now, std::nullopt});
  status.failure_time = now;
}

void mark_approved(api::CertificateRequestStatus& status, Time now) {
  set_condition(status.conditions, {"Approved", api::ConditionStatus::True, kApprovedReason,
                                    kApprovedMessage, now, std::nullopt});
}

void mark_pending(api::CertificateRequestStatus& status, std::string message, Time now) {
  set_condition(status.conditions, {"Ready", api::ConditionStatus::False, "Pending",
                                    std::move(message), now, std::nullopt});
}

void mark_denied(api::CertificateRequestStatus& status, std::string message, Time now) {
  set_condition(status.conditions, {"Ready", api::ConditionStatus::False, "Denied",
                                    std::move(message), now, std::nullopt});
  // As cert-manager: the first failure's time stays.
  if (!status.failure_time)
    status.failure_time = now;
}

bool version_reached(std::string_view have, std::string_view want) {
  // Nothing written to wait for (an expectation made for another object).
  if (want.empty() || have == want)
    return true;
  auto h = as_number(have);
  auto w = as_number(want);
  return h && w && *h >= *w;
}

}  // namespace certmill::controller
