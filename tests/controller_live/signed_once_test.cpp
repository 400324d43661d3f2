// A CertificateRequest is signed once, also when the controller's cache of
// requests falls behind right after the signing (a watch that dropped, as in
// the 1,000-Certificate fault storm, where one request's certificate was
// replaced): the Certificate's reconcile gives up waiting for its cache after
// the expectation timeout and decides on a request it sees unsigned; the
// server shows it signed, and it is not signed again. kube-sim's holdWatch
// keeps the request events back from the signed one on.
#include <chrono>
#include <string>

#include <catch2/catch.hpp>

#include "tests/controller_live/harness.hpp"
#include "tests/controller_live/logged.hpp"
#include "tests/controller_live/manifests.hpp"

using namespace certmill;
using namespace certmill::test;
using namespace std::chrono_literals;

namespace {

const std::string kCertificates = "/apis/cert-manager.io/v1/namespaces/apps/certificates/";
const std::string kRequests = "/apis/cert-manager.io/v1/namespaces/apps/certificaterequests/";

std::string signed_certificate(ControllerHarness& h, const std::string& request) {
  const auto object = h.get(kRequests + request);
  if (!object)
    return {};
  const auto* status = object->as_object().if_contains("status");
  const auto* certificate =
      status && status->is_object() ? status->as_object().if_contains("certificate") : nullptr;
  return certificate && certificate->is_string() ? std::string(certificate->as_string())
                                                 : std::string();
}

bool story_tells(const std::string& object, const std::string& message) {
  for (const std::string& line : story_of(object, 400))
    if (line.find(message) != std::string::npos)
      return true;
  return false;
}

}  // namespace

TEST_CASE("a request signed while the request cache is behind is not signed again") {
  ControllerHarness h;
  h.apply(bootstrap_yaml("apps"));
  h.apply(leaf_yaml("apps", "web", "web.example.com"));
  REQUIRE(h.wait_revision("apps", "web", 1));

  REQUIRE(request(h.sim(), "PUT", "/kube-sim/faults",
                  R"({"holdWatch":{"type":"cert-manager.io/certificaterequests",)"
                  R"("from":["\"name\":\"web-2\"","\"certificate\":\""]}})")
              .status == 200);
  REQUIRE(h.send("PATCH", kCertificates + "web",
                 R"({"spec":{"dnsNames":["web.example.com","www.example.com"]}})",
                 "application/merge-patch+json")
              .status == 200);
  std::string first;
  REQUIRE(eventually([&] { return !(first = signed_certificate(h, "web-2")).empty(); }));

  // The reconcile waits for its cache to show the signing, gives up after
  // the expectation timeout, and sees web-2 unsigned: the case the guard is for.
  bool skipped = false;
  REQUIRE(eventually(
      [&] {
        h.clock().advance(10s);
        skipped = story_tells("apps/web", "has ended on the server; not signed again");
        return skipped || signed_certificate(h, "web-2") != first;
      },
      std::chrono::seconds(30)));
  CHECK(story_tells("apps/web", "the cache never showed certmill's last write"));
  CHECK(skipped);
  CHECK(signed_certificate(h, "web-2") == first);

  REQUIRE(request(h.sim(), "PUT", "/kube-sim/faults", R"({"releaseWatch":true})").status == 200);
  REQUIRE(h.wait_revision("apps", "web", 2));
  CHECK(signed_certificate(h, "web-2") == first);
}
