// The corpus of invalid Certificates (tests/controller_live/invalid_specs/,
// one manifest per file, each with the text it must produce on its first
// line): each is refused by the API server's schema, or ends Ready=False
// InvalidSpec with its rule's message, a Warning Event saying the same, and
// a log line naming it. Then an hour of the controller's time passes and not
// one more write is made.
#include <thread>

#include <catch2/catch.hpp>

#include "tests/controller_live/corpus.hpp"
#include "tests/controller_live/harness.hpp"
#include "tests/controller_live/logged.hpp"

using namespace certmill;
using namespace certmill::test;

namespace {

bool has_event(const std::vector<std::string>& events, const std::string& prefix,
               const std::string& text) {
  return std::any_of(events.begin(), events.end(), [&](const std::string& e) {
    return e.starts_with(prefix) && e.find(text) != std::string::npos;
  });
}

}  // namespace

TEST_CASE("every invalid Certificate is refused or says why, and then nothing is written") {
  const std::vector<CorpusCase> manifests =
      read_corpus(CERTMILL_SOURCE_DIR "/tests/controller_live/invalid_specs");
  REQUIRE(manifests.size() >= 60);
  ControllerHarness h;
  h.apply(R"(apiVersion: v1
kind: Namespace
metadata:
  name: invalid
---
apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata:
  name: selfsigned
spec:
  selfSigned: {}
)");
  const long before = h.writes_in("invalid");
  std::size_t created = 0;
  for (const CorpusCase& m : manifests) {
    INFO(m.file);
    const auto r = h.send("POST", "/apis/cert-manager.io/v1/namespaces/invalid/certificates",
                          m.yaml, "application/yaml");
    if (m.refused) {
      CHECK(r.status == 422);
      const auto status = boost::json::parse(r.body);
      CHECK_THAT(std::string(status.at("message").as_string()), Catch::Contains(m.expect));
    } else {
      REQUIRE(r.status == 201);
      ++created;
    }
  }
  for (const CorpusCase& m : manifests) {
    if (m.refused)
      continue;
    const bool said = h.wait_ready("invalid", m.name, "False", "InvalidSpec");
    std::string reason;
    std::string message;
    h.condition("/apis/cert-manager.io/v1/namespaces/invalid/certificates/" + m.name, "Ready",
                &reason, &message);
    INFO(m.file << ": Ready " << reason << ": " << message);
    REQUIRE(said);
    CHECK_THAT(message, Catch::Contains(m.expect));
  }
  REQUIRE(h.wait_settled(created));
  // Each one's Event and log line, once every status is written.
  for (const CorpusCase& m : manifests) {
    if (m.refused)
      continue;
    INFO(m.file);
    const auto events = h.events_for("invalid", m.name);
    std::string listed;
    for (const std::string& e : events)
      listed += "\n  " + e;
    INFO("Events:" << listed);
    CHECK(has_event(events, "Warning InvalidSpec: ", m.expect));
    CHECK_FALSE(logged_about("invalid/" + m.name).empty());
  }
  const long said = h.writes_in("invalid");
  // The count sees the controller's writes: for each one, the status that
  // says why and its Event (the creates were the test's).
  CHECK(said - before - static_cast<long>(created) >= 2 * static_cast<long>(created));

  for (int minute = 0; minute < 60; ++minute) {
    h.clock().advance(std::chrono::minutes(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  REQUIRE(h.wait_settled(created));
  CHECK(h.writes_in("invalid") == said);
  for (const CorpusCase& m : manifests)
    CHECK_FALSE(h.get("/api/v1/namespaces/invalid/secrets/" + m.name + "-tls"));
}
