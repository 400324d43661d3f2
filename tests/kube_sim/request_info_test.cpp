// The attributes kube-sim authorizes a request by, as kube-apiserver's
// RequestInfoFactory derives them: discovery paths are non-resource, the
// HTTP method and the query make the verb (list, watch, deletecollection),
// and the path the group, resource, subresource, namespace and name. Also
// the TokenRequest lifetime rules and the issued-token table.
#include "tools/kube-sim/request_info.hpp"

#include <catch2/catch.hpp>

#include "tools/kube-sim/tokens.hpp"

using namespace certmill::kubesim;

namespace {

Attributes of(std::string_view method, const std::string& target) {
  return request_attributes(method, std::string_view(target).substr(0, target.find('?')),
                            parse_target(target));
}

std::string show(const Attributes& a) {
  if (!a.resource_request)
    return "path " + a.verb + " " + a.path;
  return a.verb + " g=" + a.group + " v=" + a.version + " r=" + a.resource +
         " sub=" + a.subresource + " ns=" + a.ns + " name=" + a.name;
}

}  // namespace

TEST_CASE("discovery and other paths are non-resource requests", "[request_info]") {
  for (const char* p : {"/", "/api", "/api/v1", "/apis", "/apis/cert-manager.io",
                        "/apis/cert-manager.io/v1", "/version", "/openapi/v3",
                        "/openapi/v3/apis/cert-manager.io/v1", "/kube-sim/stats", "/healthz"}) {
    INFO(p);
    CHECK(show(of("GET", p)) == std::string("path get ") + p);
  }
  CHECK(show(of("POST", "/apis")) == "path post /apis");
  CHECK(show(of("PUT", "/kube-sim/faults")) == "path put /kube-sim/faults");
  // The query is not part of the path.
  CHECK(show(of("GET", "/openapi/v2?timeout=32s")) == "path get /openapi/v2");
}

TEST_CASE("methods make verbs, and a request without a name lists, watches or deletes all",
          "[request_info]") {
  const std::string certs = "/apis/cert-manager.io/v1/namespaces/a/certificates";
  const std::string pre = " g=cert-manager.io v=v1 r=certificates sub= ns=a name=";
  CHECK(show(of("GET", certs)) == "list" + pre);
  CHECK(show(of("HEAD", certs)) == "list" + pre);
  CHECK(show(of("GET", certs + "?watch=true")) == "watch" + pre);
  CHECK(show(of("GET", certs + "?watch=1&resourceVersion=5")) == "watch" + pre);
  CHECK(show(of("GET", certs + "?watch=True")) == "watch" + pre);
  CHECK(show(of("GET", certs + "?watch=false")) == "list" + pre);
  CHECK(show(of("GET", certs + "?watch=0")) == "list" + pre);
  CHECK(show(of("GET", certs + "?limit=500")) == "list" + pre);
  CHECK(show(of("POST", certs)) == "create" + pre);
  CHECK(show(of("DELETE", certs)) == "deletecollection" + pre);
  CHECK(show(of("GET", certs + "/web")) == "get" + pre + "web");
  CHECK(show(of("PUT", certs + "/web")) == "update" + pre + "web");
  CHECK(show(of("PATCH", certs + "/web")) == "patch" + pre + "web");
  CHECK(show(of("DELETE", certs + "/web")) == "delete" + pre + "web");
  CHECK(of("OPTIONS", certs + "/web").verb.empty());
}

TEST_CASE("a fieldSelector on metadata.name names the object a list or watch is for",
          "[request_info]") {
  const std::string leases = "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases";
  CHECK(of("GET", leases + "?fieldSelector=metadata.name%3Dleader").name == "leader");
  CHECK(of("GET", leases + "?fieldSelector=metadata.name%3D%3Dleader&watch=1").name == "leader");
  CHECK(of("GET", leases + "?fieldSelector=metadata.name%3Dleader&watch=1").verb == "watch");
  CHECK(of("GET", leases + "?fieldSelector=a%3Db,metadata.name%3Dleader").name == "leader");
  CHECK(of("GET", leases + "?fieldSelector=metadata.name%21%3Dleader").name.empty());
  CHECK(of("GET", leases + "?fieldSelector=metadata.namespace%3Dx").name.empty());
  CHECK(of("GET", leases + "?fieldSelector=metadata.name%3D..").name.empty());
}

TEST_CASE("the path gives group, version, resource, subresource, namespace and name",
          "[request_info]") {
  CHECK(show(of("GET", "/api/v1/secrets")) == "list g= v=v1 r=secrets sub= ns= name=");
  CHECK(show(of("GET", "/api/v1/namespaces/a/secrets/ca")) ==
        "get g= v=v1 r=secrets sub= ns=a name=ca");
  CHECK(show(of("GET", "/apis/cert-manager.io/v1/clusterissuers/ca")) ==
        "get g=cert-manager.io v=v1 r=clusterissuers sub= ns= name=ca");
  CHECK(show(of("PUT", "/apis/cert-manager.io/v1/namespaces/a/certificates/web/status")) ==
        "update g=cert-manager.io v=v1 r=certificates sub=status ns=a name=web");
  CHECK(show(of("POST", "/api/v1/namespaces/certmill/serviceaccounts/certmill/token")) ==
        "create g= v=v1 r=serviceaccounts sub=token ns=certmill name=certmill");
  CHECK(show(of("POST", "/api/v1/namespaces/a/pods/p/exec")) ==
        "create g= v=v1 r=pods sub=exec ns=a name=p");
  CHECK(show(of("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")) ==
        "create g=authorization.k8s.io v=v1 r=selfsubjectaccessreviews sub= ns= name=");
}

TEST_CASE("a Namespace is in itself, and its status and finalize are its subresources",
          "[request_info]") {
  CHECK(show(of("GET", "/api/v1/namespaces")) == "list g= v=v1 r=namespaces sub= ns= name=");
  CHECK(show(of("POST", "/api/v1/namespaces")) == "create g= v=v1 r=namespaces sub= ns= name=");
  CHECK(show(of("GET", "/api/v1/namespaces/a")) == "get g= v=v1 r=namespaces sub= ns=a name=a");
  CHECK(show(of("DELETE", "/api/v1/namespaces/a")) ==
        "delete g= v=v1 r=namespaces sub= ns=a name=a");
  CHECK(show(of("PUT", "/api/v1/namespaces/a/finalize")) ==
        "update g= v=v1 r=namespaces sub=finalize ns=a name=a");
  CHECK(show(of("PUT", "/api/v1/namespaces/a/status")) ==
        "update g= v=v1 r=namespaces sub=status ns=a name=a");
}

TEST_CASE("the legacy /watch/ and /proxy/ prefixes are verbs", "[request_info]") {
  CHECK(show(of("GET", "/api/v1/watch/namespaces/a/secrets")) ==
        "watch g= v=v1 r=secrets sub= ns=a name=");
  CHECK(show(of("GET", "/api/v1/proxy/namespaces/a/services/s/path/more")) ==
        "proxy g= v=v1 r=services sub= ns=a name=s");
}

TEST_CASE("a TokenRequest lasts an hour unless asked, between 10 minutes and 2^32 s", "[tokens]") {
  CHECK(token_lifetime(std::nullopt).seconds == 3600);
  CHECK(token_lifetime(std::nullopt).error.empty());
  CHECK(token_lifetime(600).error.empty());
  CHECK(token_lifetime(600).seconds == 600);
  CHECK(token_lifetime(599).error == "may not specify a duration less than 10 minutes");
  CHECK(token_lifetime(-1).error == "may not specify a duration less than 10 minutes");
  CHECK(token_lifetime(std::int64_t{1} << 32).error.empty());
  CHECK(token_lifetime((std::int64_t{1} << 32) + 1).error ==
        "may not specify a duration larger than 2^32 seconds");
}

TEST_CASE("an issued token names its ServiceAccount until it expires", "[tokens]") {
  TokenTable table;
  const WallTime t0 = std::chrono::system_clock::now();
  table.add("tok", IssuedToken{.ns = "certmill",
                               .service_account = "certmill",
                               .expires = t0 + std::chrono::seconds(600)});
  CHECK_FALSE(table.find("other", t0));
  const auto found = table.find("tok", t0 + std::chrono::seconds(599));
  REQUIRE(found);
  CHECK(found->ns == "certmill");
  CHECK(found->service_account == "certmill");
  CHECK(table.size() == 1);
  CHECK_FALSE(table.find("tok", t0 + std::chrono::seconds(600)));
  CHECK(table.size() == 0);
  CHECK_FALSE(table.find("tok", t0));
}
