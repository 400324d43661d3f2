// The corpus of invalid Certificates (tests/controller_live/invalid_specs/,
// one manifest per file, each with the text it must produce on its first
// line): each is refused by the API server's schema, or ends Ready=False
// InvalidSpec with its rule's message. Then an hour of the controller's time
// passes and not one more write is made.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <catch2/catch.hpp>

#include "tests/controller_live/harness.hpp"

using namespace certmill;
using namespace certmill::test;

namespace {

struct Manifest {
  std::string name;  // the file's stem less its number: the Certificate's name
  std::string yaml;
  bool refused = false;  // by the schema, rather than by the controller
  std::string expect;    // a part of the refusal or of the Ready message
};

std::vector<Manifest> corpus() {
  std::vector<Manifest> out;
  for (const auto& entry : std::filesystem::directory_iterator(
           CERTMILL_SOURCE_DIR "/tests/controller_live/invalid_specs")) {
    if (entry.path().extension() != ".yaml")
      continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    Manifest m;
    m.yaml = text.str();
    const std::string stem = entry.path().stem().string();
    m.name = stem.substr(stem.find('-') + 1);
    const std::string first = m.yaml.substr(0, m.yaml.find('\n'));
    for (const char* tag : {"# expect: ", "# refused: "}) {
      if (first.starts_with(tag)) {
        m.refused = std::string_view(tag) == "# refused: ";
        m.expect = first.substr(std::string_view(tag).size());
      }
    }
    INFO(entry.path().string());
    REQUIRE_FALSE(m.expect.empty());
    out.push_back(std::move(m));
  }
  std::sort(out.begin(), out.end(),
            [](const Manifest& a, const Manifest& b) { return a.name < b.name; });
  return out;
}

}  // namespace

TEST_CASE("every invalid Certificate is refused or says why, and then nothing is written") {
  const std::vector<Manifest> manifests = corpus();
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
  for (const Manifest& m : manifests) {
    INFO(m.name);
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
  for (const Manifest& m : manifests) {
    if (m.refused)
      continue;
    const bool said = h.wait_ready("invalid", m.name, "False", "InvalidSpec");
    std::string reason;
    std::string message;
    h.condition("/apis/cert-manager.io/v1/namespaces/invalid/certificates/" + m.name, "Ready",
                &reason, &message);
    INFO(m.name << ": Ready " << reason << ": " << message);
    REQUIRE(said);
    CHECK_THAT(message, Catch::Contains(m.expect));
  }
  REQUIRE(h.wait_settled(created));
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
  for (const Manifest& m : manifests)
    CHECK_FALSE(h.get("/api/v1/namespaces/invalid/secrets/" + m.name + "-tls"));
}
