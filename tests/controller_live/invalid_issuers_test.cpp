// The corpus of invalid Issuers and ClusterIssuers
// (tests/controller_live/invalid_issuers/, one case per file: the Secrets it
// needs, then the issuer last): each is refused by the API server's schema,
// or ends Ready=False with the reason and message its first line states, a
// Warning Event saying the same, and a log line naming it. The ACME cases
// meet a real CA (Pebble). Then an hour of the controller's time passes —
// every ACME issuer retries its registration meanwhile — and not one more
// write is made.
#include <algorithm>
#include <thread>

#include <catch2/catch.hpp>

#include "core/base64.hpp"
#include "tests/controller_live/corpus.hpp"
#include "tests/controller_live/harness.hpp"
#include "tests/controller_live/logged.hpp"
#include "tests/controller_live/settled_writes.hpp"
#include "tests/support/pebble.hpp"

using namespace certmill;
using namespace certmill::test;

namespace {

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

// Where the case's issuer lives, and what its Events and log lines call it.
struct Issuer {
  std::string kind;
  std::string name;
  std::string path;
  std::string events_namespace;
  std::string log_name;
};

Issuer issuer_of(const std::string& doc) {
  Issuer i;
  i.kind = yaml_field(doc, "kind", 0);
  i.name = yaml_field(doc, "name", 2);
  const std::string ns = yaml_field(doc, "namespace", 2);
  i.path = collection_path(i.kind, ns) + "/" + i.name;
  // Events on a cluster-scoped object are recorded in "default".
  i.events_namespace = ns.empty() ? "default" : ns;
  i.log_name = ns.empty() ? i.name : ns + "/" + i.name;
  return i;
}

}  // namespace

TEST_CASE("every invalid Issuer is refused or says why, and then nothing is written") {
  const std::vector<CorpusCase> cases =
      read_corpus(CERTMILL_SOURCE_DIR "/tests/controller_live/invalid_issuers");
  REQUIRE(cases.size() >= 25);
  PebbleOptions options;
  options.nonce_reject = 0;  // a refused nonce is sent again: no write, but noise
  Pebble pebble(options);
  ControllerHarness h;
  h.apply("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: issuers\n");
  const long before = settled_writes(h);

  std::vector<std::pair<const CorpusCase*, Issuer>> created;
  for (const CorpusCase& c : cases) {
    INFO(c.file);
    std::string yaml = c.yaml;
    replace_all(yaml, "${SERVER}", pebble.directory_url);
    std::string plain = pebble.directory_url;
    plain.replace(0, 5, "http");
    replace_all(yaml, "${PLAIN_SERVER}", plain);
    replace_all(yaml, "${CA_BUNDLE}", base64_encode(pebble.tls_certificate_pem()));
    const std::vector<std::string> docs = yaml_documents(yaml);
    REQUIRE_FALSE(docs.empty());
    for (std::size_t i = 0; i + 1 < docs.size(); ++i)
      h.apply(docs[i]);
    const Issuer issuer = issuer_of(docs.back());
    REQUIRE(issuer.name == c.name);
    const auto r =
        h.send("POST", collection_path(issuer.kind, yaml_field(docs.back(), "namespace", 2)),
               docs.back(), "application/yaml");
    if (c.refused) {
      CHECK(r.status == 422);
      const auto status = boost::json::parse(r.body);
      CHECK_THAT(std::string(status.at("message").as_string()), Catch::Contains(c.expect));
    } else {
      REQUIRE(r.status == 201);
      created.emplace_back(&c, issuer);
    }
  }

  // Marked cases last, with a short wait: the others' waits gave them time.
  std::partition(created.begin(), created.end(),
                 [](const auto& entry) { return entry.first->defect.empty(); });
  for (const auto& [c, issuer] : created) {
    const std::string reason = c->reason();
    const std::string words = c->words();
    std::string have_reason;
    std::string message;
    const bool reached = eventually(
        [&] {
          return h.condition(issuer.path, "Ready", &have_reason, &message) == "False" &&
                 have_reason == reason;
        },
        std::chrono::seconds(c->defect.empty() ? 20 : 1));
    INFO(c->file << ": Ready " << have_reason << ": " << message);
    if (!c->defect.empty())
      WARN(c->file << " shows a known defect: " << c->defect << "; its Ready is now " << have_reason
                   << ": " << message);
    CORPUS_CHECK(*c, reached);
    CORPUS_CHECK(*c, message.find(words) != std::string::npos);
  }
  const long said = settled_writes(h);
  for (const auto& [c, issuer] : created) {
    const std::string reason = c->reason();
    const std::string words = c->words();
    std::string listed;
    bool warned = false;
    for (const std::string& e : h.events_for(issuer.events_namespace, issuer.name)) {
      listed += "\n  " + e;
      warned = warned ||
               (e.starts_with("Warning " + reason + ": ") && e.find(words) != std::string::npos);
    }
    INFO(c->file << "; Events:" << listed);
    CORPUS_CHECK(*c, warned);
    CORPUS_CHECK(*c, !logged_about(issuer.log_name).empty());
  }
  // The count sees the controller's writes: for each one, the status that
  // says why and its Event (the creates were the test's).
  REQUIRE(said - before >= 3 * static_cast<long>(created.size()));

  for (int minute = 0; minute < 60; ++minute) {
    h.clock().advance(std::chrono::minutes(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(settled_writes(h) == said);
}
