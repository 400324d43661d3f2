// kube-sim against the recordings of a real kube-apiserver 1.26: each case
// replays recorded requests, in the recorded order, and compares the answers.
#include "tests/kube_sim/golden.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "tests/kube_sim/client.hpp"
#include "tests/support/kube_sim.hpp"

namespace json = boost::json;
using namespace certmill::test;

namespace {

struct Replayer {
  KubeSim sim;
  HttpRequest last;

  HttpResponse call(HttpRequest r) {
    if (r.token.empty())
      r.token = sim.token;
    return send(sim.port, r);
  }

  HttpResponse replay(const std::string& name, Shape shape = Shape::full,
                      const std::function<void(HttpRequest&)>& fix = {}) {
    HttpRequest r = recorded_request(name, sim.token);
    if (fix)
      fix(r);
    last = r;
    HttpResponse got = send(sim.port, r);
    auto diffs = compare(recorded_response(name), got, shape);
    std::string all;
    for (const auto& d : diffs)
      all += "\n  " + d;
    INFO(name << ":" << all);
    CHECK(diffs.empty());
    return got;
  }

  std::string current_rv(const std::string& path) {
    HttpRequest r;
    r.target = path;
    auto got = call(r);
    REQUIRE(got.status == 200);
    return std::string(json::parse(got.body).at("metadata").at("resourceVersion").as_string());
  }

  void create(const std::string& path, const std::string& body) {
    HttpRequest r;
    r.method = "POST";
    r.target = path;
    r.body = body;
    r.content_type = "application/json";
    auto got = call(r);
    INFO(path << " " << got.body);
    REQUIRE(got.status == 201);
  }

  void remove(const std::string& path) {
    HttpRequest r;
    r.method = "DELETE";
    r.target = path;
    auto got = call(r);
    INFO(path << " " << got.body);
    REQUIRE(got.status == 200);
  }

  // The state the recordings assume: the Certificate CRD, default/web and
  // list-demo/c1..c5.
  void world() {
    replay("03-crd-create", Shape::top);
    replay("04-cert-create");
    replay("05-namespace-create");
    const char* labels[] = {R"({"a":"b","c":"x"})", R"({"a":"b","c":"y"})", R"({"a":"b","c":"z"})",
                            R"({"a":"other","c":"x"})", R"({"c":"y"})"};
    for (int i = 1; i <= 5; ++i) {
      const std::string n = "c" + std::to_string(i);
      create("/apis/cert-manager.io/v1/namespaces/list-demo/certificates",
             R"({"apiVersion":"cert-manager.io/v1","kind":"Certificate","metadata":{"name":")" + n +
                 R"(","labels":)" + labels[i - 1] + R"(},"spec":{"secretName":")" + n +
                 R"(-tls","issuerRef":{"name":"ca-issuer"}}})");
    }
  }

  void set_rv(HttpRequest& r, const std::string& rv) {
    json::value body = json::parse(r.body);
    body.at("metadata").as_object()["resourceVersion"] = rv;
    r.body = json::serialize(body);
  }

  void replace_query(HttpRequest& r, const std::string& key, const std::string& value) {
    auto at = r.target.find(key + "=");
    REQUIRE(at != std::string::npos);
    auto end = r.target.find('&', at);
    r.target = r.target.substr(0, at) + key + "=" + value +
               (end == std::string::npos ? "" : r.target.substr(end));
  }

  void admin(const std::string& body) {
    HttpRequest r;
    r.method = "PUT";
    r.target = "/kube-sim/faults";
    r.body = body;
    r.content_type = "application/json";
    REQUIRE(call(r).status == 200);
  }
};

std::string continue_of(const HttpResponse& r) {
  return std::string(json::parse(r.body).at("metadata").at("continue").as_string());
}

}  // namespace

TEST_CASE("discovery answers as kube-apiserver's", "[golden]") {
  Replayer g;
  g.replay("01-get-version");
  g.replay("01-get-api");
  g.replay("01-get-api-v1", Shape::top);
  g.replay("03-crd-create", Shape::top);
  g.replay("03-crd-get-established", Shape::top);
  g.replay("01-get-apis", Shape::top);
  g.replay("01-get-apis-cert-manager");
  g.replay("01-get-apis-cert-manager-v1");
  g.replay("01-get-apis-coordination-v1");
  g.replay("02-aggregated-apis-kubectl132-accept", Shape::top);
  g.replay("02-aggregated-api-kubectl132-accept");
  g.replay("02-aggregated-apis-v2beta1-only-accept");
  g.replay("14-openapi-v3-root", Shape::top);
}

TEST_CASE("create, get, list pages and Tables as recorded", "[golden]") {
  Replayer g;
  g.world();
  g.replay("04-cert-get");
  g.replay("04-cert-get-table");
  g.replay("04-cert-list-table");
  auto page1 = g.replay("05-list-limit2-page1");
  auto page2 = g.replay("05-list-limit2-page2", Shape::full, [&](HttpRequest& r) {
    g.replace_query(r, "continue", continue_of(page1));
  });
  g.replay("05-list-limit2-page3", Shape::full,
           [&](HttpRequest& r) { g.replace_query(r, "continue", continue_of(page2)); });
}

TEST_CASE("optimistic concurrency as recorded", "[golden]") {
  Replayer g;
  g.world();
  const std::string path = "/apis/cert-manager.io/v1/namespaces/default/certificates/web";
  g.replay("06-put-current-resourceversion-noop", Shape::full,
           [&](HttpRequest& r) { g.set_rv(r, g.current_rv(path)); });
  g.replay("06-put-stale-resourceversion", Shape::full, [&](HttpRequest& r) { g.set_rv(r, "1"); });
  g.replay("06-put-without-resourceversion");
}

TEST_CASE("errors and field validation as recorded", "[golden]") {
  Replayer g;
  g.world();
  const std::string unknown =
      "/apis/cert-manager.io/v1/namespaces/default/certificates/unknown-field";
  g.replay("07-create-duplicate");
  g.replay("07-create-duplicate-field-strict");
  g.replay("07-create-in-missing-namespace");
  g.replay("07-create-invalid-missing-required");
  g.replay("07-create-invalid-name");
  g.replay("07-create-malformed-json");
  g.replay("07-create-namespace-mismatch");
  g.replay("07-create-unknown-field-strict");
  g.replay("07-create-unknown-field-default-warn");
  g.remove(unknown);
  g.replay("07-create-unknown-field-warn");
  g.remove(unknown);
  g.replay("07-create-unknown-field-ignore");
  g.replay("07-create-wrong-kind");
  g.replay("07-get-missing");
  g.replay("07-get-unknown-resource");
}

TEST_CASE("patch, status and server-side apply as recorded", "[golden]") {
  Replayer g;
  g.world();
  const std::string web = "/apis/cert-manager.io/v1/namespaces/default/certificates/web";
  g.replay("06-put-current-resourceversion-noop", Shape::full,
           [&](HttpRequest& r) { g.set_rv(r, g.current_rv(web)); });
  g.replay("08-apply-create-new");
  g.replay("08-apply-same-again-noop");
  g.replay("08-apply-conflict-second-manager");
  g.replay("08-apply-without-fieldmanager");
  g.replay("08-apply-force-param-without-apply");
  g.replay("08-patch-merge-spec");
  g.replay("08-patch-json-patch");
  g.replay("08-patch-json-patch-failed-test");
  g.replay("08-patch-json-patch-remove-missing");
  g.replay("08-put-status", Shape::full, [&](HttpRequest& r) { g.set_rv(r, g.current_rv(web)); });
  g.replay("08-patch-merge-status");
  g.replay("08-get-status-subresource");
  g.replay("08-apply-force");
  g.replay("08-apply-status-subresource");
}

TEST_CASE("deletes and finalizers as recorded", "[golden]") {
  Replayer g;
  g.world();
  g.replay("08-apply-create-new");
  g.replay("09-create-with-finalizer");
  g.replay("09-delete-with-finalizer");
  g.replay("09-get-while-terminating");
  g.replay("09-remove-finalizer-json-patch");
  g.replay("09-get-after-finalizer-removed");
  g.replay("09-delete-plain");
  g.replay("09-delete-missing");
  g.create("/api/v1/namespaces/default/secrets",
           R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"tmp-secret"}})");
  g.replay("09-delete-core-secret");
  g.replay("09-delete-dry-run");
  g.replay("09-delete-precondition-uid-mismatch");
  g.replay("09-delete-propagation-background");
  g.create("/apis/cert-manager.io/v1/namespaces/default/certificates",
           R"({"apiVersion":"cert-manager.io/v1","kind":"Certificate","metadata":{"name":"fg"},)"
           R"("spec":{"secretName":"fg-tls","issuerRef":{"name":"ca-issuer"}}})");
  g.replay("09-delete-propagation-foreground");
}

TEST_CASE("watch starts, single-object watches and expired versions as recorded", "[golden]") {
  Replayer g;
  g.world();
  g.replay("10-watch-rv0-initial-events");
  g.replay("10-watch-single-object");
  g.replay("11-get-rv-too-large");
  g.replay("11-list-rv-match-without-rv");
  g.replay("11-list-rv-not-a-number");
  g.replay("11-list-rv-too-large");
  g.replay("11-watch-rv-too-large", Shape::full,
           [&](HttpRequest& r) { g.replace_query(r, "timeoutSeconds", "1"); });
  HttpRequest first;
  first.target = "/apis/cert-manager.io/v1/namespaces/list-demo/certificates?limit=2";
  auto page1 = g.call(first);
  const std::string old_rv =
      std::string(json::parse(page1.body).at("metadata").at("resourceVersion").as_string());
  g.create("/apis/cert-manager.io/v1/namespaces/list-demo/certificates",
           R"({"apiVersion":"cert-manager.io/v1","kind":"Certificate","metadata":{"name":"c6"},)"
           R"("spec":{"secretName":"c6-tls","issuerRef":{"name":"ca-issuer"}}})");
  g.admin(R"({"forgetHistory":true})");
  g.replay("11-list-continue-token-expired", Shape::status_only,
           [&](HttpRequest& r) { g.replace_query(r, "continue", continue_of(page1)); });
  g.replay("11-list-rv-exact-compacted", Shape::full,
           [&](HttpRequest& r) { g.replace_query(r, "resourceVersion", old_rv); });
  g.replay("11-list-rv-legacy-with-limit-compacted", Shape::full,
           [&](HttpRequest& r) { g.replace_query(r, "resourceVersion", old_rv); });
  g.replay("11-list-rv-notolderthan-compacted", Shape::status_only,
           [&](HttpRequest& r) { g.replace_query(r, "resourceVersion", old_rv); });
  g.replay("11-watch-rv-too-old");
}

TEST_CASE("label and field selectors as recorded", "[golden]") {
  Replayer g;
  g.world();
  g.replay("12-list-label-selector");
  g.replay("12-list-label-selector-exists-notin");
  g.replay("12-list-label-selector-not-exists");
  g.replay("12-list-label-selector-invalid");
  g.replay("12-list-label-selector-invalid-2");
  g.replay("12-list-label-selector-invalid-value");
  g.replay("12-list-field-selector-name");
  g.replay("12-list-field-selector-name-nomatch");
  g.replay("12-list-field-selector-unsupported");
  g.replay("12-list-all-namespaces-field-selector-namespace");
  g.replay("12-deletecollection-label-selector");
}

TEST_CASE("Secrets, Events and Leases as recorded", "[golden]") {
  Replayer g;
  g.world();
  g.replay("13-secret-create-tls");
  g.replay("13-secret-get");
  g.replay("13-secret-create-stringdata");
  g.replay("13-secret-create-bad-base64");
  g.replay("13-secret-create-tls-missing-key");
  g.replay("13-secret-update-type-immutable", Shape::full, [&](HttpRequest& r) {
    g.set_rv(r, g.current_rv("/api/v1/namespaces/default/secrets/web-tls"));
  });
  g.replay("13-secret-apply-json-body");
  g.replay("13-event-create");
  g.replay("13-event-create-invalid");
  g.replay("13-event-create-minimal-generatename");
  g.replay("13-event-list-field-selector");
  g.replay("13-event-patch-count-strategic");
  const std::string lease =
      "/apis/coordination.k8s.io/v1/namespaces/default/leases/certmill-leader";
  g.replay("13-lease-create");
  g.replay("13-lease-create-time-malformed");
  g.replay("13-lease-create-time-without-micros");
  g.replay("13-lease-update-renew", Shape::full,
           [&](HttpRequest& r) { g.set_rv(r, g.current_rv(lease)); });
  const HttpRequest renew = g.last;
  auto stale = send(g.sim.port, renew);
  auto diffs = compare(recorded_response("13-lease-update-stale-rv"), stale, Shape::full);
  INFO("13-lease-update-stale-rv");
  CHECK(diffs.empty());
  g.replay("13-lease-update-takeover", Shape::full,
           [&](HttpRequest& r) { g.set_rv(r, g.current_rv(lease)); });
  g.replay("13-lease-get");
}

TEST_CASE("content negotiation as recorded", "[golden]") {
  Replayer g;
  g.world();
  g.replay("15-get-accept-star");
  g.replay("15-get-accept-protobuf-then-json");
  g.replay("15-get-accept-text-plain");
  g.replay("15-patch-strategic-merge-on-cr");
  g.replay("15-patch-form-content-type");
  g.replay("15-post-content-type-text-plain");
}
