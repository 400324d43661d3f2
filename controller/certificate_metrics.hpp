// The per-Certificate series of cert-manager's certificate metrics, kept as
// one compact row per Certificate instead of seven prometheus-cpp series:
// prometheus-cpp's label maps per Certificate would cost as much as the rest
// of certmill's memory. A row holds the values and the issuerRef; the labels
// are rendered when scraped, in the text format TextSerializer writes, a part
// at a time: a large fleet's text is many MiB, which a scrape must not hold
// at once. Each shard keeps its own table, touched by that shard and by
// scrapes only; a scrape writes each family's rows shard after shard.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

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
  // The five certificate families, written in this order.
  static constexpr std::size_t kFamilies = 5;
  // The family's # HELP and # TYPE lines.
  static void write_header(std::size_t family, std::string& out);
  // Appends the family's rows in the text exposition format to `out`, in
  // key order after the key `after` (empty: from the first), until `out`
  // holds `budget` bytes; true when it stopped for the budget, with `after`
  // the last key written. Resuming after the last key means a Certificate
  // added or removed between two parts never makes a series appear twice
  // (Prometheus would reject the scrape); the lock is held for one part.
  bool write_rows(std::size_t family, std::string& after, std::string& out,
                  std::size_t budget) const;

 private:
  struct Row {
    const IssuerRefView* issuer = nullptr;  // a key of issuers_
    int64_t not_before = 0;
    int64_t not_after = 0;
    int64_t renewal = 0;
    uint8_t ready = 2;  // index into True, False, Unknown
  };

  struct Family;
  static const Family& family(std::size_t index);

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

// Where a scrape stands in the certificate families of every shard's table.
struct CertificateCursor {
  std::size_t family = 0;
  std::size_t shard = 0;
  bool started = false;  // the family's header is written
  std::string after;     // the last key written from this shard's table
};

// Appends from `cursor` on each family's header, then its rows shard after
// shard (their keys are disjoint), until `out` holds `budget` bytes; false
// once everything is written.
bool write_certificate_families(const std::vector<std::unique_ptr<CertificateMetrics>>& shards,
                                CertificateCursor& cursor, std::string& out, std::size_t budget);

}  // namespace certmill::controller
