// The per-Certificate series of cert-manager's certificate metrics, kept as
// one compact row per Certificate instead of seven prometheus-cpp series:
// prometheus-cpp costs about 5 KiB per Certificate in label maps, as much as
// certmill's whole memory budget at 10,000 Certificates. A row holds the
// values and the issuerRef; the labels are rendered when scraped, in the
// text format TextSerializer writes.
#pragma once

#include <cstdint>
#include <mutex>
#include <ostream>
#include <string>
#include <unordered_map>

#include "controller/certificate_view.hpp"

namespace certmill::controller {

class CertificateMetrics {
 public:
  CertificateMetrics() = default;
  CertificateMetrics(const CertificateMetrics&) = delete;
  CertificateMetrics& operator=(const CertificateMetrics&) = delete;

  // Adds or updates the Certificate's row from the view; a new issuerRef
  // relabels it.
  void observe(const CertificateView& crt);
  // Removes the row of the Certificate "namespace/name".
  void forget(const std::string& key);
  // The five certificate families in the text exposition format.
  void write(std::ostream& out) const;

 private:
  struct Row {
    IssuerRefView issuer;
    int64_t not_before = 0;
    int64_t not_after = 0;
    int64_t renewal = 0;
    uint8_t ready = 2;  // index into True, False, Unknown
  };

  // Scrapes read while shards write; a lookup per observation is cheap next
  // to the reconcile that made it.
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Row> rows_;  // "namespace/name"
};

}  // namespace certmill::controller
