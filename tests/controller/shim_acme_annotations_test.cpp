// ingress-shim's and gateway-shim's ACME and secret-template annotations:
// http01-edit-in-place, http01-ingress-class and
// http01-ingress-ingressclassname become cert-manager's override annotations
// on each Certificate; cert-manager.io/secret-template becomes
// spec.secretTemplate, read as strictly as cert-manager's Go decoder, and a
// malformed one is one BadConfig Event and no Certificate change. The keys
// --extra-certificate-annotations names are copied as they are.
#include <catch2/catch.hpp>

#include "controller/gateway_shim.hpp"
#include "controller/ingress_shim.hpp"

using namespace certmill;
using namespace certmill::controller;

namespace {

const std::string kUid = "5d2c7e1a-1b2c-4d3e-8f90-a1b2c3d4e5f6";

api::Ingress ingress(api::StringMap extra) {
  api::Ingress ing;
  ing.metadata.namespace_ = "apps";
  ing.metadata.name = "shop";
  ing.metadata.uid = kUid;
  ing.metadata.annotations = {{"cert-manager.io/cluster-issuer", "letsencrypt"}};
  ing.metadata.annotations.merge(extra);
  ing.spec.tls = {{{"shop.example.com"}, "shop-tls"}, {{"api.shop.example.com"}, "api-tls"}};
  return ing;
}

api::Gateway gateway(api::StringMap extra) {
  api::Gateway gw;
  gw.metadata.namespace_ = "edge";
  gw.metadata.name = "public";
  gw.metadata.uid = kUid;
  gw.metadata.annotations = {{"cert-manager.io/issuer", "ca"}};
  gw.metadata.annotations.merge(extra);
  api::Listener l;
  l.name = "shop";
  l.hostname = "shop.example.com";
  l.port = 443;
  l.protocol = "HTTPS";
  l.tls = api::GatewayTLSConfig{"Terminate", {{"", "Secret", "shop-tls", ""}}};
  gw.spec.listeners = {l};
  return gw;
}

const std::string kNameOverride = "acme.cert-manager.io/http01-override-ingress-name";
const std::string kClassOverride = "acme.cert-manager.io/http01-override-ingress-class";
const std::string kClassNameOverride =
    "acme.cert-manager.io/http01-override-ingress-ingressclassname";
const std::string kTemporary = "cert-manager.io/issue-temporary-certificate";
const std::string kSecretTemplate = "cert-manager.io/secret-template";

}  // namespace

TEST_CASE("http01-edit-in-place \"true\" names the Ingress on every Certificate") {
  const ShimResult r =
      ingress_certificates(ingress({{"acme.cert-manager.io/http01-edit-in-place", "true"}}), {});
  REQUIRE(r.valid);
  REQUIRE(r.certificates.size() == 2);
  for (const api::Certificate& crt : r.certificates) {
    CHECK(crt.metadata.annotations ==
          api::StringMap{{kNameOverride, "shop"}, {kTemporary, "true"}});
  }
  // cert-manager compares the string: anything but "true" is off.
  for (const char* off : {"True", "yes", "1", ""}) {
    INFO(off);
    const ShimResult o =
        ingress_certificates(ingress({{"acme.cert-manager.io/http01-edit-in-place", off}}), {});
    REQUIRE(o.certificates.size() == 2);
    CHECK(o.certificates[0].metadata.annotations.empty());
  }
}

TEST_CASE("http01-ingress-class and -ingressclassname become the override annotations") {
  const ShimResult r = ingress_certificates(
      ingress({{"acme.cert-manager.io/http01-ingress-class", "traefik"},
               {"acme.cert-manager.io/http01-ingress-ingressclassname", "internal"}}),
      {});
  REQUIRE(r.certificates.size() == 2);
  // Both are copied as they are; the order refuses two overrides at once
  // (solvers/http01/ingress_overrides), as cert-manager does.
  CHECK(r.certificates[1].metadata.annotations ==
        api::StringMap{{kClassOverride, "traefik"}, {kClassNameOverride, "internal"}});
  const ShimResult plain = ingress_certificates(ingress({}), {});
  REQUIRE(plain.certificates.size() == 2);
  CHECK(plain.certificates[0].metadata.annotations.empty());
}

TEST_CASE("a Gateway's ACME annotations reach its Certificates too") {
  const ShimResult r =
      gateway_certificates(gateway({{"acme.cert-manager.io/http01-edit-in-place", "true"},
                                    {"acme.cert-manager.io/http01-ingress-class", "nginx"}}),
                           {});
  REQUIRE(r.certificates.size() == 1);
  CHECK(r.certificates[0].metadata.annotations ==
        api::StringMap{{kNameOverride, "public"}, {kTemporary, "true"}, {kClassOverride, "nginx"}});
}

TEST_CASE("extra-certificate-annotations copies the keys it names that the object has") {
  ShimDefaults defaults;
  defaults.extra_annotations = {"example.com/team", "example.com/absent", kNameOverride,
                                "acme.cert-manager.io/http01-edit-in-place"};
  const api::StringMap present = {{"example.com/team", "payments"},
                                  {"example.com/other", "not named"},
                                  {kNameOverride, "from-the-ingress"},
                                  {"acme.cert-manager.io/http01-edit-in-place", "true"}};
  // The edit-in-place override is written over the copied value, as
  // cert-manager sets it after the extra annotations.
  const ShimResult r = ingress_certificates(ingress(present), defaults);
  REQUIRE(r.certificates.size() == 2);
  for (const api::Certificate& crt : r.certificates) {
    CHECK(crt.metadata.annotations ==
          api::StringMap{{"example.com/team", "payments"},
                         {kNameOverride, "shop"},
                         {kTemporary, "true"},
                         {"acme.cert-manager.io/http01-edit-in-place", "true"}});
  }
  // Gateways too; an empty value is copied as it is.
  const ShimResult g = gateway_certificates(gateway({{"example.com/team", ""}}), defaults);
  REQUIRE(g.certificates.size() == 1);
  CHECK(g.certificates[0].metadata.annotations == api::StringMap{{"example.com/team", ""}});
  // Nothing named, or named but absent: only cert-manager's own.
  CHECK(ingress_certificates(ingress(present), {}).certificates[0].metadata.annotations ==
        api::StringMap{{kNameOverride, "shop"}, {kTemporary, "true"}});
  CHECK(ingress_certificates(ingress({}), defaults).certificates[0].metadata.annotations.empty());
}

TEST_CASE("extra_certificate_annotations picks the named keys, nothing else") {
  const api::StringMap on = {{"a.example/x", "1"}, {"a.example/xy", "2"}, {"b.example/z", ""}};
  CHECK(extra_certificate_annotations(on, {}).empty());
  CHECK(extra_certificate_annotations({}, {"a.example/x"}).empty());
  CHECK(extra_certificate_annotations(on, {"a.example/x"}) == api::StringMap{{"a.example/x", "1"}});
  CHECK(extra_certificate_annotations(on, {"a.example/", "a.example/x*"}).empty());
  CHECK(extra_certificate_annotations(on, {"b.example/z", "a.example/xy", "b.example/z"}) ==
        api::StringMap{{"a.example/xy", "2"}, {"b.example/z", ""}});
}

TEST_CASE("secret-template becomes spec.secretTemplate on every Certificate") {
  const ShimResult r = ingress_certificates(
      ingress({{kSecretTemplate,
                R"({"annotations":{"reflector.v1.k8s.emberstack.com/reflection-allowed":"true"},)"
                R"("labels":{"team":"shop","tier":""}})"}}),
      {});
  REQUIRE(r.valid);
  REQUIRE(r.certificates.size() == 2);
  for (const api::Certificate& crt : r.certificates) {
    REQUIRE(crt.spec.secret_template);
    CHECK(crt.spec.secret_template->annotations ==
          api::StringMap{{"reflector.v1.k8s.emberstack.com/reflection-allowed", "true"}});
    CHECK(crt.spec.secret_template->labels == api::StringMap{{"team", "shop"}, {"tier", ""}});
  }
  // Nothing to template, or nulls: no secretTemplate at all, as cert-manager.
  for (const char* empty :
       {"{}", R"({"annotations":{},"labels":{}})", R"({"annotations":null,"labels":null})"}) {
    INFO(empty);
    const ShimResult e = ingress_certificates(ingress({{kSecretTemplate, empty}}), {});
    REQUIRE(e.valid);
    CHECK_FALSE(e.certificates.at(0).spec.secret_template);
  }
  const ShimResult g =
      gateway_certificates(gateway({{kSecretTemplate, R"({"labels":{"edge":"yes"}})"}}), {});
  REQUIRE(g.certificates.size() == 1);
  REQUIRE(g.certificates[0].spec.secret_template);
  CHECK(g.certificates[0].spec.secret_template->labels == api::StringMap{{"edge", "yes"}});
}

TEST_CASE("a malformed secret-template is one BadConfig Event and no Certificate change") {
  struct Row {
    const char* value;
    const char* message;  // a prefix
  };
  const std::string prefix = "invalid ingress annotation \"cert-manager.io/secret-template\": ";
  const Row rows[] = {
      {R"({"labels":)", "error parsing secret template JSON: "},
      {"labels: {team: shop}", "error parsing secret template JSON: "},
      {R"(["labels"])",
       "error parsing secret template JSON: json: cannot unmarshal array into Go value of type "
       "v1.CertificateSecretTemplate"},
      {R"({"label":{"team":"shop"}})",
       "error parsing secret template JSON: json: unknown field \"label\""},
      {R"({"labels":{"replicas":3}})",
       "error parsing secret template JSON: json: cannot unmarshal number into Go struct field "
       "CertificateSecretTemplate.labels of type string"},
      {R"({"annotations":["a"]})",
       "error parsing secret template JSON: json: cannot unmarshal array into Go struct field "
       "CertificateSecretTemplate.annotations of type map[string]string"},
      {R"({"annotations":{"cert-manager.io/issuer-name":"x"}})",
       "secretTemplate must not have cert-manager.io/ annotations: "
       "\"cert-manager.io/issuer-name\""},
  };
  for (const Row& row : rows) {
    INFO(row.value);
    const ShimResult r = ingress_certificates(ingress({{kSecretTemplate, row.value}}), {});
    CHECK(r.managed);
    CHECK_FALSE(r.valid);
    CHECK(r.certificates.empty());
    REQUIRE(r.events.size() == 1);
    CHECK(r.events[0].type == "Warning");
    CHECK(r.events[0].reason == "BadConfig");
    CHECK(r.events[0].message.rfind(prefix + row.message, 0) == 0);
    // The Ingress's existing Certificate is left as it is.
    CertificateView owned;
    owned.name = "shop-tls";
    owned.owner_uid = uid_key(kUid);
    const ShimPlan plan = plan_shim(r, owned.owner_uid, {&owned});
    CHECK(plan.create.empty());
    CHECK(plan.update.empty());
    CHECK(plan.remove.empty());
  }
}

TEST_CASE("a changed secret-template updates the Certificates the Ingress owns") {
  const ShimResult before = ingress_certificates(ingress({}), {});
  const ShimResult after =
      ingress_certificates(ingress({{kSecretTemplate, R"({"labels":{"team":"shop"}})"}}), {});
  REQUIRE(after.certificates.size() == 2);
  std::vector<CertificateView> views(2);
  for (std::size_t i = 0; i < 2; ++i) {
    views[i].name = before.certificates[i].metadata.name;
    views[i].owner_uid = uid_key(kUid);
    views[i].spec_hash = certificate_spec_hash(before.certificates[i].spec);
  }
  CHECK(plan_shim(before, uid_key(kUid), {&views[0], &views[1]}).update.empty());
  const ShimPlan plan = plan_shim(after, uid_key(kUid), {&views[0], &views[1]});
  CHECK(plan.update.size() == 2);
  CHECK(plan.create.empty());
}
