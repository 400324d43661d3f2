// Compact certificate rows and their exposition.
#include "controller/certificate_metrics.hpp"

#include <array>
#include <charconv>
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

void header(std::string& out, std::string_view name, std::string_view help) {
  out.append("# HELP ").append(name).append(" ").append(help);
  out.append("\n# TYPE ").append(name).append(" gauge\n");
}

void append_number(std::string& out, int64_t value) {
  char digits[24];
  const auto end = std::to_chars(std::begin(digits), std::end(digits), value).ptr;
  out.append(digits, end);
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

struct CertificateMetrics::Family {
  std::string_view name;
  std::string_view help;
  int64_t Row::*value;  // null for the ready status, three series a row
};

const CertificateMetrics::Family& CertificateMetrics::family(std::size_t index) {
  static constexpr Family families[kFamilies] = {
      {"certmanager_certificate_ready_status", "The ready status of the certificate.", nullptr},
      {"certmanager_certificate_expiration_timestamp_seconds",
       "The date after which the certificate expires. Expressed as a Unix Epoch Time.",
       &Row::not_after},
      {"certmanager_certificate_renewal_timestamp_seconds",
       "The number of seconds before expiration time the certificate should renew.", &Row::renewal},
      {"certmanager_certificate_not_after_timestamp_seconds",
       "The timestamp after which the certificate is invalid, expressed as a Unix Epoch Time.",
       &Row::not_after},
      {"certmanager_certificate_not_before_timestamp_seconds",
       "The timestamp before which the certificate is invalid, expressed as a Unix Epoch Time.",
       &Row::not_before},
  };
  return families[index];
}

void CertificateMetrics::write_header(std::size_t index, std::string& out) {
  header(out, family(index).name, family(index).help);
}

bool CertificateMetrics::write_rows(std::size_t index, std::string& after, std::string& out,
                                    std::size_t budget) const {
  const Family& of = family(index);
  std::lock_guard lock(mutex_);
  std::string labels;
  const std::string* last = nullptr;
  // No key is empty: upper_bound("") is the first row.
  for (auto it = rows_.upper_bound(after); it != rows_.end(); ++it) {
    if (out.size() >= budget) {
      if (last != nullptr)
        after = *last;
      return true;
    }
    const auto& [key, row] = *it;
    render_labels(labels, key, *row.issuer);
    if (of.value == nullptr) {
      for (uint8_t i = 0; i < condition_names.size(); ++i) {
        out.append(of.name).append("{condition=\"").append(condition_names[i]);
        out.append("\",").append(labels).append("} ").append(i == row.ready ? "1" : "0");
        out += '\n';
      }
    } else {
      out.append(of.name).append("{").append(labels).append("} ");
      append_number(out, row.*of.value);
      out += '\n';
    }
    last = &key;
  }
  return false;
}

bool write_certificate_families(const std::vector<std::unique_ptr<CertificateMetrics>>& shards,
                                CertificateCursor& cursor, std::string& out, std::size_t budget) {
  for (; cursor.family < CertificateMetrics::kFamilies; ++cursor.family) {
    if (!cursor.started) {
      CertificateMetrics::write_header(cursor.family, out);
      cursor.started = true;
    }
    for (; cursor.shard < shards.size(); ++cursor.shard, cursor.after.clear()) {
      if (shards[cursor.shard]->write_rows(cursor.family, cursor.after, out, budget))
        return true;
    }
    cursor.shard = 0;
    cursor.started = false;
  }
  return false;
}

}  // namespace certmill::controller
