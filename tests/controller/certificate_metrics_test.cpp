// The certificate rows written a part at a time, as a scrape sends them: every
// series exactly once, each family together across the shards' tables,
// however small the parts and whatever changes between them.
#include "controller/certificate_metrics.hpp"

#include <map>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>

#include "tests/controller/fixtures.hpp"

using namespace certmill;
using namespace certmill::controller;

namespace {

CertificateView view(const std::string& name) {
  return project_certificate(test::make_certificate(name));
}

std::string name_of(int i) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "crt-%03d", i);
  return buffer;
}

using Tables = std::vector<std::unique_ptr<CertificateMetrics>>;

Tables tables(std::size_t shards) {
  Tables made;
  for (std::size_t i = 0; i < shards; ++i)
    made.push_back(std::make_unique<CertificateMetrics>());
  return made;
}

// Writes the rows in parts of at most about `budget` bytes, calling
// `between(part)` after each part; returns the whole text.
template <class F>
std::string write_all(const Tables& shards, std::size_t budget, F between) {
  CertificateCursor cursor;
  std::string text, part;
  for (int part_number = 0;; ++part_number) {
    part.clear();
    const bool more = write_certificate_families(shards, cursor, part, budget);
    text += part;
    if (!more)
      return text;
    between(part_number);
  }
}

// Each sample line's series (everything before the value), counted.
std::map<std::string, int> series_of(const std::string& text) {
  std::map<std::string, int> seen;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("#"))
      ++seen[line.substr(0, line.rfind(' '))];
  }
  return seen;
}

}  // namespace

TEST_CASE("written in small parts, the rows come out as they do in one") {
  Tables shards = tables(3);
  for (int i = 0; i < 50; ++i)
    shards[i % 3]->observe(view(name_of(i)));
  const std::string whole = write_all(shards, std::size_t(-1), [](int) {});
  for (std::size_t budget : {1, 100, 700, 4096}) {
    INFO("budget " << budget);
    CHECK(write_all(shards, budget, [](int) {}) == whole);
  }
  // Five families, each once, and 3 + 4 series per Certificate.
  CHECK(series_of(whole).size() == 50 * 7);
  for (const auto& [series, count] : series_of(whole))
    CHECK(count == 1);
  std::size_t headers = 0;
  for (std::size_t at = 0; (at = whole.find("# TYPE ", at)) != std::string::npos; ++at)
    ++headers;
  CHECK(headers == 5);
}

TEST_CASE("rows added and removed between parts never make a series appear twice") {
  Tables shards = tables(1);
  CertificateMetrics& rows = *shards[0];
  for (int i = 0; i < 60; i += 2)
    rows.observe(view(name_of(i)));
  // Between the first parts: remove a row and add it back (behind or ahead
  // of the cursor), and add one that was not there.
  std::set<std::string> touched;
  int parts = 0;
  const std::string text = write_all(shards, 300, [&](int part) {
    parts = part + 1;
    if (part >= 6)
      return;
    const int i = (part * 14) % 60;
    const int added = (i + 31) % 60;
    rows.forget("apps/" + name_of(i));
    rows.observe(view(name_of(i)));
    rows.observe(view(name_of(added)));
    touched.insert(name_of(i));
    touched.insert(name_of(added));
  });
  REQUIRE(parts > 20);
  const auto seen = series_of(text);
  for (const auto& [series, count] : seen) {
    INFO(series);
    CHECK(count == 1);
  }
  // A row nobody touched is in every family.
  std::size_t untouched = 0;
  for (int i = 0; i < 60; i += 2) {
    if (touched.contains(name_of(i)))
      continue;
    ++untouched;
    const std::string labels =
        "issuer_group=\"cert-manager.io\",issuer_kind=\"Issuer\",issuer_name=\"ca-issuer\","
        "name=\"" +
        name_of(i) + "\",namespace=\"apps\"}";
    INFO(name_of(i));
    CHECK(seen.contains("certmanager_certificate_ready_status{condition=\"True\"," + labels));
    for (const char* family : {"expiration", "renewal", "not_after", "not_before"}) {
      CHECK(seen.contains(std::string("certmanager_certificate_") + family + "_timestamp_seconds{" +
                          labels));
    }
  }
  CHECK(untouched > 5);
}

TEST_CASE("each family's series follow its header, from every shard's table") {
  Tables shards = tables(4);
  for (int i = 0; i < 40; ++i)
    shards[(i * 7) % 4]->observe(view(name_of(i)));
  const std::string text = write_all(shards, 500, [](int) {});
  std::istringstream lines(text);
  std::string family;
  std::map<std::string, int> rows_per_family;
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("# TYPE ")) {
      family = line.substr(7, line.find(' ', 7) - 7);
      CHECK_FALSE(rows_per_family.contains(family));  // each header once
      rows_per_family[family] = 0;
    } else if (!line.starts_with("#")) {
      INFO(line);
      CHECK(line.starts_with(family + "{"));
      ++rows_per_family[family];
    }
  }
  REQUIRE(rows_per_family.size() == 5);
  for (const auto& [name, rows] : rows_per_family)
    CHECK(rows == (name == "certmanager_certificate_ready_status" ? 3 * 40 : 40));
}
