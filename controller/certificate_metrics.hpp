// The per-Certificate series of cert-manager's certificate metrics, kept as
// one compact row per Certificate instead of seven prometheus-cpp series:
// prometheus-cpp costs about 5 KiB per Certificate in label maps, as much as
// certmill's whole memory budget at 10,000 Certificates. The row's labels are
// rendered once; a shard updates its values through a handle (atomics, no
// lookup); a scrape writes the rows in the same text format TextSerializer
// writes.
#pragma once

#include <atomic>
#include <cstdint>
#include <list>
#include <mutex>
#include <ostream>
#include <string>

#include "controller/certificate_view.hpp"

namespace certmill::controller {

class CertificateMetrics;

class CertificateSeries {
 public:
  CertificateSeries() = default;
  CertificateSeries(CertificateSeries&& other) noexcept;
  CertificateSeries& operator=(CertificateSeries&& other) noexcept;
  ~CertificateSeries() { reset(); }
  // Removes the series from the exposition.
  void reset();
  bool tracked() const noexcept { return table_ != nullptr; }

 private:
  friend class CertificateMetrics;
  struct Row {
    std::string labels;  // name="web",namespace="apps",issuer_*="..." rendered and sorted
    std::atomic<uint8_t> ready{2};  // index into True, False, Unknown
    std::atomic<int64_t> not_before{0};
    std::atomic<int64_t> not_after{0};
    std::atomic<int64_t> renewal{0};
  };
  CertificateMetrics* table_ = nullptr;
  std::list<Row>::iterator row_;
  api::IssuerRef issuer_;  // as labelled, to notice a change of issuer
};

class CertificateMetrics {
 public:
  CertificateMetrics() = default;
  CertificateMetrics(const CertificateMetrics&) = delete;
  CertificateMetrics& operator=(const CertificateMetrics&) = delete;

  // Adds the row on first use (again after an issuerRef change), then sets
  // its values from the view.
  void observe(CertificateSeries& series, const CertificateView& crt);
  // The five certificate families in the text exposition format.
  void write(std::ostream& out) const;

 private:
  friend class CertificateSeries;
  void remove(std::list<CertificateSeries::Row>::iterator row);

  mutable std::mutex mutex_;  // guards the list, not the values
  std::list<CertificateSeries::Row> rows_;
};

}  // namespace certmill::controller
