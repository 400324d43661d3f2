// Compact certificate rows and their exposition.
#include "controller/certificate_metrics.hpp"

#include <array>

namespace certmill::controller {

namespace {

constexpr std::array<const char*, 3> condition_names = {"True", "False", "Unknown"};

// As the text format requires (and prometheus-cpp writes): \\, \" and \n.
void append_escaped(std::string& out, const std::string& value) {
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

std::string render_labels(const CertificateView& crt) {
  const std::pair<const char*, const std::string*> labels[] = {
      {"issuer_group", &crt.issuer_ref.group.str()},
      {"issuer_kind", &crt.issuer_ref.kind.str()},
      {"issuer_name", &crt.issuer_ref.name},
      {"name", &crt.name},
      {"namespace", &crt.namespace_}};
  std::string out;
  for (auto [key, value] : labels) {
    out += out.empty() ? "" : ",";
    out += key;
    out += "=\"";
    append_escaped(out, *value);
    out += '"';
  }
  return out;
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

CertificateSeries::CertificateSeries(CertificateSeries&& other) noexcept {
  *this = std::move(other);
}

CertificateSeries& CertificateSeries::operator=(CertificateSeries&& other) noexcept {
  if (this != &other) {
    reset();
    table_ = std::exchange(other.table_, nullptr);
    row_ = other.row_;
    issuer_ = std::move(other.issuer_);
  }
  return *this;
}

void CertificateSeries::reset() {
  if (table_)
    table_->remove(row_);
  table_ = nullptr;
}

void CertificateMetrics::observe(CertificateSeries& s, const CertificateView& crt) {
  if (s.tracked() && !(s.issuer_ == crt.issuer_ref.full()))
    s.reset();
  if (!s.tracked()) {
    std::string labels = render_labels(crt);
    std::lock_guard lock(mutex_);
    s.row_ = rows_.emplace(rows_.end());
    s.row_->labels = std::move(labels);
    s.table_ = this;
    s.issuer_ = crt.issuer_ref.full();
  }
  CertificateSeries::Row& row = *s.row_;
  row.ready.store(ready_index(crt.ready), std::memory_order_relaxed);
  row.not_before.store(epoch(crt.not_before), std::memory_order_relaxed);
  row.not_after.store(epoch(crt.not_after), std::memory_order_relaxed);
  row.renewal.store(epoch(crt.renewal_time), std::memory_order_relaxed);
}

void CertificateMetrics::remove(std::list<CertificateSeries::Row>::iterator row) {
  std::lock_guard lock(mutex_);
  rows_.erase(row);
}

void CertificateMetrics::write(std::ostream& out) const {
  using Row = CertificateSeries::Row;
  std::lock_guard lock(mutex_);
  const auto family = [&](const char* name, const char* help,
                          const std::atomic<int64_t> Row::*value) {
    header(out, name, help);
    for (const Row& row : rows_)
      out << name << '{' << row.labels << "} " << (row.*value).load(std::memory_order_relaxed)
          << '\n';
  };
  header(out, "certmanager_certificate_ready_status", "The ready status of the certificate.");
  for (const Row& row : rows_) {
    const uint8_t ready = row.ready.load(std::memory_order_relaxed);
    for (uint8_t i = 0; i < condition_names.size(); ++i) {
      out << "certmanager_certificate_ready_status{condition=\"" << condition_names[i] << "\","
          << row.labels << "} " << (i == ready ? 1 : 0) << '\n';
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
