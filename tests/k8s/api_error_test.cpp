// Errors from the API server, built from answers a real kube-apiserver gave
// (copies in tests/core/kube-api), the query strings the client sends, and
// the queue metrics' exposition.
#include "k8s/api_error.hpp"

#include <catch2/catch.hpp>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include "k8s/client.hpp"
#include "k8s/metrics.hpp"
#include "tests/support/files.hpp"
#include "tests/support/http_recording.hpp"

using namespace certmill;
using namespace certmill::k8s;

namespace {
std::string golden_body(const std::string& name) {
  return test::response_body(test::read_file("tests/core/kube-api/" + name));
}
}  // namespace

TEST_CASE("a recorded 409 becomes a conflict error with the server's message") {
  const Error e = api_error(409, golden_body("06-put-stale-resourceversion.response.txt"), "");
  CHECK(is_conflict(e));
  CHECK_FALSE(is_not_found(e));
  CHECK_FALSE(is_retryable(e));
  CHECK_THAT(e.message(), Catch::StartsWith("Operation cannot be fulfilled on "
                                            "certificates.cert-manager.io \"web\""));
  CHECK_THAT(e.message(), Catch::EndsWith("(Conflict)"));
}

TEST_CASE("recorded 404 and 422 answers keep their codes and reasons") {
  const Error missing = api_error(404, golden_body("07-get-missing.response.txt"), "");
  CHECK(is_not_found(missing));
  CHECK_THAT(missing.message(), Catch::EndsWith("(NotFound)"));
  const Error invalid =
      api_error(422, golden_body("07-create-invalid-missing-required.response.txt"), "");
  CHECK(is_api_error(invalid, 422));
  CHECK_THAT(invalid.message(), Catch::Contains("spec.secretName"));
}

TEST_CASE("Retry-After comes from the header, else from the Status details") {
  const Error header = api_error(429, R"({"kind":"Status","message":"slow down","code":429})", "7");
  CHECK(is_too_many_requests(header));
  CHECK(is_retryable(header));
  CHECK(header.retry_after() == std::chrono::seconds(7));
  const Error details = api_error(
      503, R"({"kind":"Status","message":"busy","code":503,"details":{"retryAfterSeconds":3}})",
      "soon");
  CHECK(details.retry_after() == std::chrono::seconds(3));
  CHECK(is_retryable(details));
}

TEST_CASE("an answer that is not a Status is quoted, not trusted") {
  const Error e = api_error(502, "<html>bad gateway</html>", "");
  CHECK(is_api_error(e, 502));
  CHECK(e.message() == "HTTP 502: <html>bad gateway</html>");
  CHECK_FALSE(e.retry_after().has_value());
  const Error huge = api_error(500, std::string(100000, 'x'), "");
  CHECK(huge.message().size() < 300);
}

TEST_CASE("list and watch queries escape selector values") {
  ListOptions list;
  list.label_selector = "app in (web,api),tier!=db";
  list.field_selector = "metadata.name=web";
  list.limit = 500;
  list.continue_token = "abc+/=";
  CHECK(list_query(list) ==
        "?labelSelector=app%20in%20%28web%2Capi%29%2Ctier%21%3Ddb"
        "&fieldSelector=metadata.name%3Dweb&continue=abc%2B%2F%3D&limit=500");
  CHECK(list_query({}).empty());

  WatchOptions watch;
  watch.resource_version = "198";
  watch.label_selector = "controller.cert-manager.io/fao=true";
  CHECK(watch_query(watch) ==
        "?watch=1&labelSelector=controller.cert-manager.io%2Ffao%3Dtrue&resourceVersion=198"
        "&allowWatchBookmarks=true&timeoutSeconds=300");
}

TEST_CASE("resource paths follow the group, the scope and the subresource") {
  CHECK(resource_path(Resource<api::Certificate>::info, "default", "web", "status") ==
        "/apis/cert-manager.io/v1/namespaces/default/certificates/web/status");
  CHECK(resource_path(Resource<api::Secret>::info, "default") ==
        "/api/v1/namespaces/default/secrets");
  CHECK(resource_path(Resource<api::ClusterIssuer>::info, "ignored", "letsencrypt") ==
        "/apis/cert-manager.io/v1/clusterissuers/letsencrypt");
  CHECK(resource_path(Resource<api::Certificate>::info, "") ==
        "/apis/cert-manager.io/v1/certificates");
}

TEST_CASE("queue metrics are per shard, with the depth and the wait past due") {
  prometheus::Registry registry;
  QueueMetrics metrics(registry);
  auto shard = metrics.shard(1);
  shard.depth->Set(42);
  shard.wait->Observe(0.2);
  const std::string text = prometheus::TextSerializer().Serialize(registry.Collect());
  CHECK_THAT(text, Catch::Contains(R"(certmill_workqueue_depth{shard="1"} 42)"));
  CHECK_THAT(text,
             Catch::Contains(R"(certmill_workqueue_wait_seconds_bucket{shard="1",le="0.5"} 1)"));
}
