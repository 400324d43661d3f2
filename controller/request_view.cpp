// CertificateRequest → RequestView, with the CSR parsed once.
#include "controller/request_view.hpp"

#include <charconv>

#include "controller/digest.hpp"
#include "core/pki/keys.hpp"
#include "core/pki/x509.hpp"

namespace certmill::controller {

namespace {

const api::Condition* find(const std::vector<api::Condition>& conditions, std::string_view type) {
  for (const api::Condition& c : conditions) {
    if (c.type == type)
      return &c;
  }
  return nullptr;
}

std::optional<int32_t> parse_revision(const api::StringMap& annotations) {
  auto it = annotations.find("cert-manager.io/certificate-revision");
  if (it == annotations.end())
    return std::nullopt;
  int32_t value = 0;
  const std::string& text = it->second;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size())
    return std::nullopt;
  return value;
}

// cert-manager's order: Denied, then InvalidRequest, then the Ready reason.
void read_state(const api::CertificateRequestStatus& status, RequestView& v) {
  const auto is_true = [](const api::Condition* c) {
    return c && c->status == api::ConditionStatus::True;
  };
  const api::Condition* decided = nullptr;
  v.approved = is_true(find(status.conditions, "Approved"));
  if (const api::Condition* c = find(status.conditions, "Denied"); is_true(c)) {
    v.state = RequestState::Denied;
    decided = c;
  } else if (c = find(status.conditions, "InvalidRequest"); is_true(c)) {
    v.state = RequestState::InvalidRequest;
    decided = c;
  } else if (c = find(status.conditions, "Ready"); c) {
    decided = c;
    v.state = c->reason == "Issued"   ? RequestState::Issued
              : c->reason == "Failed" ? RequestState::Failed
                                      : RequestState::Pending;
  }
  if (const api::Condition* ready = find(status.conditions, "Ready")) {
    v.ready = ready->reason == "Pending"  ? ReadyMark::Pending
              : ready->reason == "Issued" ? ReadyMark::Issued
              : ready->reason == "Failed" ? ReadyMark::Failed
              : ready->reason == "Denied" ? ReadyMark::Denied
                                          : ReadyMark::Other;
  }
  v.has_certificate = !status.certificate.data.empty();
  if (decided) {
    v.reason = decided->reason;
    if (v.state != RequestState::Issued)
      v.message.edit() = decided->message;
    v.message.shrink();
  }
  v.failure_time = status.failure_time;
}

}  // namespace

RequestView project_request(api::CertificateRequest&& request) {
  RequestView v;
  api::ObjectMeta& meta = request.metadata;
  v.namespace_ = std::move(meta.namespace_);
  v.name = std::move(meta.name);
  v.resource_version = std::move(meta.resource_version);
  // Only a Certificate's: a request another controller owns (a Pod, a
  // workload of csi-driver's) is still everyone's to sign.
  for (api::OwnerReference& ref : meta.owner_references) {
    if (ref.controller.value_or(false) && ref.kind == "Certificate")
      v.owner_uid = uid_key(ref.uid);
  }
  v.revision = parse_revision(meta.annotations);
  read_state(request.status, v);
  v.issuer_ref = std::move(request.spec.issuer_ref);
  v.duration = request.spec.duration;
  // What the request asks for; its signature is checked when it is signed.
  auto csr = pki::read_csr(request.spec.request.data);
  if (csr) {
    v.asks = request_digests(*csr, request.spec);
    v.public_key_digest =
        digest_of(pki::public_key_fingerprint(X509_REQ_get0_pubkey(csr->req.get())));
  } else {
    v.csr_error.edit() = csr.error().message();
  }
  if (v.state == RequestState::Issued) {
    auto leaf = pki::parse_certificate(request.status.certificate.data, "status.certificate");
    if (leaf)
      v.issued = issued_facts(leaf->info());
  }
  return v;
}

}  // namespace certmill::controller
