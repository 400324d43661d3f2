// The per-Certificate series of cert-manager's certificate metrics, kept as
// one compact row per Certificate instead of seven prometheus-cpp series:
// prometheus-cpp's label maps per Certificate would cost as much as the rest
// of certmill's memory. A row holds the values and the issuerRef; the labels
// are rendered when scraped, in the text format TextSerializer writes, a part
// at a time: a large fleet's text is many MiB, which a scrape must not hold
// at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

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
  // Where a scrape's text stands between two parts.
  struct Cursor {
    std::size_t family = 0;
    bool started = false;  // the family's header is written
    std::string after;     // the last Certificate written in this family
  };
  // Appends the five certificate families in the text exposition format to
  // `out` from `cursor` on, until `out` holds `budget` bytes or everything is
  // written; false once it is. Rows are written in key order and resumed
  // after the last key written, so a Certificate added or removed between
  // two parts never makes a series appear twice (Prometheus would reject
  // the scrape); the lock is held for one part at a time.
  bool write_some(Cursor& cursor, std::string& out, std::size_t budget) const;

 private:
  struct Row {
    const IssuerRefView* issuer = nullptr;  // a key of issuers_
    int64_t not_before = 0;
    int64_t not_after = 0;
    int64_t renewal = 0;
    uint8_t ready = 2;  // index into True, False, Unknown
  };

  // Scrapes read while shards write; a lookup per observation is cheap next
  // to the reconcile that made it.
  struct IssuerLess {
    bool operator()(const IssuerRefView& a, const IssuerRefView& b) const;
  };
  const IssuerRefView* hold(const IssuerRefView& issuer);
  void release(const IssuerRefView* issuer);

  mutable std::mutex mutex_;
  std::map<std::string, Row, std::less<>> rows_;  // "namespace/name"
  // Each issuerRef once, with how many rows name it: a fleet names a few
  // issuers, and a copy per row was over a third of the row.
  std::map<IssuerRefView, std::size_t, IssuerLess> issuers_;
};

}  // namespace certmill::controller
