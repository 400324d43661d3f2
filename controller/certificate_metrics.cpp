// Compact certificate rows and their exposition.
#include "controller/certificate_metrics.hpp"

#include <array>
#include <string_view>
#include <tuple>

namespace certmill::controller {

namespace {

constexpr std::array<const char*, 3> condition_names = {"True", "False", "Unknown"};

// As the text format requires (and prometheus-cpp writes): \\, \" and \n.
void append_escaped(std::string& out, std::string_view value) {
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
}

// Sorted by label name, as prometheus-cpp writes them.
void render_labels(std::string& out, const std::string& key, const IssuerRefView& issuer) {
  const std::size_t slash = key.find('/');
  const std::pair<const char*, std::string_view> labels[] = {
      {"issuer_group", issuer.group.str()},
      {"issuer_kind", issuer.kind.str()},
      {"issuer_name", issuer.name},
      {"name", std::string_view(key).substr(slash + 1)},
      {"namespace", std::string_view(key).substr(0, slash)}};
  out.clear();
  for (auto [label, value] : labels) {
    out += out.empty() ? "" : ",";
    out += label;
    out += "=\"";
    append_escaped(out, value);
    out += '"';
  }
}

uint8_t ready_index(const ConditionView& ready) {
  if (!ready.present || ready.status == api::ConditionStatus::Unknown)
    return 2;
  return ready.status == api::ConditionStatus::True ? 0 : 1;
}

int64_t epoch(const std::optional<Time>& t) {
  return t ? t->time_since_epoch().count() : 0;
}

void header(std::ostream& out, const char* name, const char* help) {
  out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << " gauge\n";
}

}  // namespace

bool CertificateMetrics::IssuerLess::operator()(const IssuerRefView& a,
                                                const IssuerRefView& b) const {
  return std::tie(a.name, a.kind.str(), a.group.str()) <
         std::tie(b.name, b.kind.str(), b.group.str());
}

const IssuerRefView* CertificateMetrics::hold(const IssuerRefView& issuer) {
  auto [it, added] = issuers_.try_emplace(issuer, 0);
  ++it->second;
  return &it->first;
}

void CertificateMetrics::release(const IssuerRefView* issuer) {
  auto it = issuers_.find(*issuer);
  if (--it->second == 0)
    issuers_.erase(it);
}

void CertificateMetrics::observe(const CertificateView& crt) {
  const std::string key = crt.namespace_ + "/" + crt.name;
  std::lock_guard lock(mutex_);
  Row& row = rows_[key];
  if (row.issuer == nullptr || !(*row.issuer == crt.issuer_ref)) {
    const IssuerRefView* issuer = hold(crt.issuer_ref);
    if (row.issuer != nullptr)
      release(row.issuer);
    row.issuer = issuer;
  }
  row.ready = ready_index(crt.ready);
  row.not_before = epoch(crt.not_before);
  row.not_after = epoch(crt.not_after);
  row.renewal = epoch(crt.renewal_time);
}

void CertificateMetrics::forget(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto it = rows_.find(key);
  if (it == rows_.end())
    return;
  release(it->second.issuer);
  rows_.erase(it);
}

void CertificateMetrics::write(std::ostream& out) const {
  std::lock_guard lock(mutex_);
  std::string labels;
  const auto family = [&](const char* name, const char* help, int64_t Row::*value) {
    header(out, name, help);
    for (const auto& [key, row] : rows_) {
      render_labels(labels, key, *row.issuer);
      out << name << '{' << labels << "} " << row.*value << '\n';
    }
  };
  header(out, "certmanager_certificate_ready_status", "The ready status of the certificate.");
  for (const auto& [key, row] : rows_) {
    render_labels(labels, key, *row.issuer);
    for (uint8_t i = 0; i < condition_names.size(); ++i) {
      out << "certmanager_certificate_ready_status{condition=\"" << condition_names[i] << "\","
          << labels << "} " << (i == row.ready ? 1 : 0) << '\n';
    }
  }
  family("certmanager_certificate_expiration_timestamp_seconds",
         "The date after which the certificate expires. Expressed as a Unix Epoch Time.",
         &Row::not_after);
  family("certmanager_certificate_renewal_timestamp_seconds",
         "The number of seconds before expiration time the certificate should renew.",
         &Row::renewal);
  family("certmanager_certificate_not_after_timestamp_seconds",
         "The timestamp after which the certificate is invalid, expressed as a Unix Epoch Time.",
         &Row::not_after);
  family("certmanager_certificate_not_before_timestamp_seconds",
         "The timestamp before which the certificate is invalid, expressed as a Unix Epoch Time.",
         &Row::not_before);
}

}  // namespace certmill::controller
