// kube-sim's OpenAPI v2: the schema conversion kube-apiserver applies to custom
// resources, and /openapi/v2 as JSON and in the protobuf form kubectl up to
// 1.26 reads (read back here with a decoder of the test's own; kubectl 1.20
// itself reads it in kube_sim_kubectl_1_20).
#include "tools/kube-sim/openapi.hpp"

#include <catch2/catch.hpp>

#include "tests/kube_sim/fixture.hpp"

namespace json = boost::json;
using namespace certmill::test;

namespace {

std::string header(const HttpResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name)
      return v;
  return "";
}

// The length-delimited fields numbered `field` of one protobuf message.
std::vector<std::string_view> fields(std::string_view m, std::uint32_t field) {
  std::vector<std::string_view> found;
  auto varint = [&]() {
    std::uint64_t v = 0;
    for (int shift = 0; !m.empty(); shift += 7) {
      const auto byte = static_cast<unsigned char>(m.front());
      m.remove_prefix(1);
      v |= std::uint64_t(byte & 0x7f) << shift;
      if (!(byte & 0x80))
        return v;
    }
    FAIL("a varint runs past the message's end");
    return v;
  };
  while (!m.empty()) {
    const auto key = varint();
    switch (key & 7) {
      case 0:
        varint();
        break;
      case 1:
        REQUIRE(m.size() >= 8);
        m.remove_prefix(8);
        break;
      case 2: {
        const auto n = varint();
        REQUIRE(n <= m.size());
        if ((key >> 3) == field)
          found.push_back(m.substr(0, n));
        m.remove_prefix(n);
        break;
      }
      default:
        FAIL("wire type " << (key & 7) << " in an OpenAPI document");
    }
  }
  return found;
}

// The value (field 2) of the Named* entry (name in field 1) called `name`.
std::string_view named(const std::vector<std::string_view>& entries, std::string_view name) {
  for (auto e : entries) {
    auto n = fields(e, 1);
    if (!n.empty() && n.front() == name) {
      auto v = fields(e, 2);
      REQUIRE(v.size() == 1);
      return v.front();
    }
  }
  FAIL("no entry named " << name);
  return {};
}

}  // namespace

TEST_CASE("v2 schemas say no type where any value may stand, and drop what v2 lacks") {
  const auto v3 = json::parse(R"({
    "type": "object", "required": ["spec"],
    "properties": {
      "spec": {"type": "object", "oneOf": [{"required": ["a"]}], "properties": {
        "a": {"type": "string", "nullable": true, "maxLength": 64},
        "config": {"type": "object", "x-kubernetes-preserve-unknown-fields": true,
                   "properties": {"x": {"type": "string"}}, "required": ["x"]},
        "port": {"x-kubernetes-int-or-string": true, "anyOf": [{"type": "integer"}, {"type": "string"}]},
        "names": {"type": "array", "items": {"type": "string", "not": {"pattern": "x"}}},
        "labels": {"type": "object", "additionalProperties": {"type": "string", "nullable": true}}},
        "x-kubernetes-validations": [{"rule": "true"}]}}})");
  const json::value v2 = certmill::kubesim::schema_to_v2(v3);
  const auto expected = json::parse(R"({
    "type": "object", "required": ["spec"],
    "properties": {
      "spec": {"type": "object", "properties": {
        "a": {"maxLength": 64},
        "config": {"x-kubernetes-preserve-unknown-fields": true},
        "port": {"x-kubernetes-int-or-string": true},
        "names": {"type": "array", "items": {"type": "string"}},
        "labels": {"type": "object", "additionalProperties": {}}}}}})");
  CHECK(json::serialize(v2) == json::serialize(expected));
}

TEST_CASE("/openapi/v2 serves the CRDs' schemas as JSON and as gnostic's protobuf") {
  KubeSim sim;
  REQUIRE(apply_crds(sim) > 0);

  auto plain = request(sim, "GET", "/openapi/v2");
  REQUIRE(plain.status == 200);
  CHECK(header(plain, "content-type") == "text/plain; charset=utf-8");
  const auto doc = body_of(plain);
  CHECK(doc.at("swagger") == "2.0");
  const auto& cert = doc.at("definitions").at("io.cert-manager.v1.Certificate");
  CHECK(cert.at("x-kubernetes-group-version-kind").at(0).at("kind") == "Certificate");
  const auto& required = cert.at("properties").at("spec").at("required").as_array();
  CHECK(std::find(required.begin(), required.end(), json::value("secretName")) != required.end());
  CHECK(plain.body.find("\"nullable\"") == std::string::npos);
  CHECK(doc.at("paths").as_object().contains(
      "/apis/cert-manager.io/v1/namespaces/{namespace}/certificates/{name}"));

  HttpRequest pb_request;
  pb_request.target = "/openapi/v2";
  pb_request.accept = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";
  pb_request.token = sim.token;
  auto pb = send(sim.port, pb_request);
  REQUIRE(pb.status == 200);
  CHECK(header(pb, "content-type") == "application/octet-stream");
  const std::string_view document = pb.body;
  REQUIRE(fields(document, 1) == std::vector<std::string_view>{"2.0"});
  const auto definitions = fields(document, 9);
  REQUIRE(definitions.size() == 1);
  const auto certificate = named(fields(definitions.front(), 1), "io.cert-manager.v1.Certificate");
  const auto properties = fields(certificate, 25);  // Schema.properties
  REQUIRE(properties.size() == 1);
  const auto spec = named(fields(properties.front(), 1), "spec");
  const auto spec_required = fields(spec, 19);  // Schema.required
  CHECK(std::find(spec_required.begin(), spec_required.end(), "secretName") != spec_required.end());
  CHECK(std::find(spec_required.begin(), spec_required.end(), "issuerRef") != spec_required.end());
  const auto extensions = fields(certificate, 31);  // Schema.vendor_extension
  const auto gvk_any = named(extensions, "x-kubernetes-group-version-kind");
  const auto gvk = fields(gvk_any, 2);  // Any.yaml
  REQUIRE(gvk.size() == 1);
  CHECK(json::parse(gvk.front()).at(0).at("kind") == "Certificate");
  const auto paths = fields(document, 8);
  REQUIRE(paths.size() == 1);
  const auto item = named(fields(paths.front(), 2),
                          "/apis/cert-manager.io/v1/namespaces/{namespace}/certificates/{name}");
  CHECK(fields(item, 8).size() == 1);  // PathItem.patch
}
