// The corpus of Ingresses and Gateways with bad cert-manager.io annotations
// or TLS blocks (tests/controller_live/bad_annotations/, one object per
// file): each gets the outcome its first line states, and a log line naming
// it. "BadConfig: TEXT" is cert-manager's: a Warning Event on the object and
// no Certificate made for it. "Certificate REASON: TEXT": the shim makes the
// Certificate (as cert-manager would), which ends Ready=False with that
// reason and message and a Warning Event. A well-formed Ingress beside them
// gets its Certificate, so "none made" is not the shim doing nothing. Then an
// hour of the controller's time passes and not one more write is made. Cases
// marked as known defects run afterwards, on their own hour, reported but not
// failing.
#include <thread>

#include <catch2/catch.hpp>

#include "tests/controller_live/corpus.hpp"
#include "tests/controller_live/harness.hpp"
#include "tests/controller_live/logged.hpp"
#include "tests/controller_live/settled_writes.hpp"

using namespace certmill;
using namespace certmill::test;

namespace {

const std::string kCertificates = "/apis/cert-manager.io/v1/namespaces/shim/certificates/";

const char* const kSetting = R"(apiVersion: v1
kind: Namespace
metadata:
  name: shim
---
apiVersion: cert-manager.io/v1
kind: Issuer
metadata:
  name: ca
  namespace: shim
spec:
  selfSigned: {}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: control
  namespace: shim
  annotations:
    cert-manager.io/issuer: ca
    cert-manager.io/duration: 2160h
spec:
  ingressClassName: nginx
  tls:
  - hosts: [control.example.com]
    secretName: control-tls
)";

bool warned(ControllerHarness& h, const std::string& name, const std::string& reason,
            const std::string& words, std::string& listed) {
  listed.clear();
  bool found = false;
  for (const std::string& e : h.events_for("shim", name)) {
    listed += "\n  " + e;
    found =
        found || (e.starts_with("Warning " + reason + ": ") && e.find(words) != std::string::npos);
  }
  return found;
}

// Creates the cases, then checks each one's outcome.
void run(ControllerHarness& h, const std::vector<const CorpusCase*>& cases) {
  for (const CorpusCase* c : cases) {
    INFO(c->file);
    const std::string kind = yaml_field(c->yaml, "kind", 0);
    const auto r = h.send("POST", collection_path(kind, "shim"), c->yaml, "application/yaml");
    REQUIRE(r.status == 201);
  }
  for (const CorpusCase* c : cases) {
    std::string reason = c->reason();
    const std::string words = c->words();
    const bool on_certificate = reason.starts_with("Certificate ");
    // The object that says why: the Ingress or Gateway, or the Certificate
    // the shim made for it.
    const std::string name = on_certificate ? c->name + "-tls" : c->name;
    if (on_certificate) {
      reason = reason.substr(std::string_view("Certificate ").size());
      std::string message;
      const bool ready = h.wait_ready("shim", name, "False", reason);
      h.condition(kCertificates + name, "Ready", nullptr, &message);
      INFO(c->file << ": Ready " << message);
      CORPUS_CHECK(*c, ready);
      CORPUS_CHECK(*c, message.find(words) != std::string::npos);
    }
    std::string listed;
    const bool said = eventually([&] { return warned(h, name, reason, words, listed); },
                                 std::chrono::seconds(c->defect.empty() ? 20 : 1));
    INFO(c->file << "; Events on " << name << ":" << listed);
    if (!c->defect.empty())
      WARN(c->file << " shows a known defect: " << c->defect << "; Events:" << listed);
    CORPUS_CHECK(*c, said);
    CORPUS_CHECK(*c, !logged_about("shim/" + name).empty());
    CORPUS_CHECK(*c, on_certificate == h.get(kCertificates + c->name + "-tls").has_value());
  }
}

// An hour of the controller's time; the writes made meanwhile.
long writes_in_an_hour(ControllerHarness& h, long said) {
  for (int minute = 0; minute < 60; ++minute) {
    h.clock().advance(std::chrono::minutes(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return settled_writes(h) - said;
}

}  // namespace

TEST_CASE("every Ingress or Gateway with bad annotations says why, and then nothing is written") {
  const std::vector<CorpusCase> cases =
      read_corpus(CERTMILL_SOURCE_DIR "/tests/controller_live/bad_annotations");
  REQUIRE(cases.size() >= 20);
  std::vector<const CorpusCase*> sound;
  std::vector<const CorpusCase*> defects;
  for (const CorpusCase& c : cases)
    (c.defect.empty() ? sound : defects).push_back(&c);
  controller::ControllerConfig config;
  config.caches.gateways = true;
  ControllerHarness h(config);
  h.apply(kSetting);
  REQUIRE(h.wait_ready("shim", "control-tls"));
  const long before = settled_writes(h);

  run(h, sound);
  const long said = settled_writes(h);
  // The count sees the writes that said why: each object's create and its Event.
  REQUIRE(said - before >= 2 * static_cast<long>(sound.size()));
  CHECK(writes_in_an_hour(h, said) == 0);

  if (defects.empty())
    return;
  run(h, defects);
  const long more = writes_in_an_hour(h, settled_writes(h));
  WARN("writes in an hour after the cases marked as defects: " << more);
  CHECK_NOFAIL(more == 0);
}
