// Decoding errors: each names the field path and the cause, and bad input of
// any shape ends in a clean Error (these tests also run under ASan/UBSan).
#include <string>

#include <catch2/catch.hpp>

#include "core/api/acme.hpp"
#include "core/api/certificate.hpp"
#include "core/api/codec.hpp"
#include "core/api/gateway.hpp"
#include "core/api/issuer.hpp"
#include "core/api/lease.hpp"
#include "core/api/secret.hpp"

using namespace certmill;
using namespace certmill::api;

namespace {

template <class T>
std::optional<Error> error_of(std::string_view json) {
  auto r = decode<T>(json);
  if (r.ok())
    return std::nullopt;
  return r.error();
}

struct Case {
  const char* what;
  std::optional<Error> (*decode)(std::string_view);
  const char* json;
  Errc code;
  const char* message;
};

const Case kCases[] = {
    {"a string where an object belongs", &error_of<Issuer>,
     R"({"metadata":{"name":"i"},"spec":{"acme":"letsencrypt"}})", Errc::wrong_type,
     "spec.acme: expected object, got string"},
    {"a number in a solver's dnsNames", &error_of<ClusterIssuer>,
     R"({"metadata":{"name":"i"},"spec":{"acme":{"server":"s","privateKeySecretRef":{"name":"k"},)"
     R"("solvers":[{},{"selector":{"dnsNames":["a.example",7]}}]}}})",
     Errc::wrong_type, "spec.acme.solvers[1].selector.dnsNames[1]: expected string, got number"},
    {"missing ACME server", &error_of<Issuer>,
     R"({"metadata":{"name":"i"},"spec":{"acme":{"privateKeySecretRef":{"name":"k"}}}})",
     Errc::missing_field, "spec.acme.server: required field is missing"},
    {"missing webhook solverName", &error_of<Issuer>,
     R"({"metadata":{"name":"i"},"spec":{"acme":{"server":"s","privateKeySecretRef":{"name":"k"},)"
     R"("solvers":[{"dns01":{"webhook":{"groupName":"g"}}}]}}})",
     Errc::missing_field,
     "spec.acme.solvers[0].dns01.webhook.solverName: required field is missing"},
    {"missing spec", &error_of<Issuer>, R"({"metadata":{"name":"i"}})", Errc::missing_field,
     "spec: required field is missing"},
    {"null in a required field", &error_of<Certificate>,
     R"({"metadata":{"name":"a"},"spec":{"secretName":null,"issuerRef":{"name":"x"}}})",
     Errc::missing_field, "spec.secretName: required field is missing"},
    {"unknown cnameStrategy", &error_of<Issuer>,
     R"({"metadata":{"name":"i"},"spec":{"acme":{"server":"s","privateKeySecretRef":{"name":"k"},)"
     R"("solvers":[{"dns01":{"cnameStrategy":"Always"}}]}}})",
     Errc::invalid_value,
     "spec.acme.solvers[0].dns01.cnameStrategy: unknown value \"Always\"; expected one of None, "
     "Follow"},
    {"unknown challenge type", &error_of<Challenge>,
     R"({"metadata":{"name":"c"},"spec":{"type":"TLS-ALPN-01"}})", Errc::invalid_value,
     "spec.type: unknown value \"TLS-ALPN-01\"; expected one of HTTP-01, DNS-01"},
    {"a Certificate given to the Issuer decoder", &error_of<Issuer>,
     R"({"apiVersion":"cert-manager.io/v1","kind":"Certificate"})", Errc::wrong_kind,
     "kind: expected \"Issuer\", got \"Certificate\""},
    {"an Issuer of another API group", &error_of<ClusterIssuer>,
     R"({"apiVersion":"certmanager.k8s.io/v1alpha1","kind":"ClusterIssuer"})", Errc::wrong_kind,
     "apiVersion: expected \"cert-manager.io/v1\", got \"certmanager.k8s.io/v1alpha1\""},
    {"a Lease of the retired beta API", &error_of<Lease>,
     R"({"apiVersion":"coordination.k8s.io/v1beta1","kind":"Lease"})", Errc::wrong_kind,
     "apiVersion: expected \"coordination.k8s.io/v1\", got \"coordination.k8s.io/v1beta1\""},
    {"bad base64 in Secret data", &error_of<Secret>,
     R"({"metadata":{"name":"s"},"data":{"tls.crt":"LS0tLS1C!UdJTg=="}})", Errc::invalid_value,
     "data[\"tls.crt\"]: invalid base64: unexpected character at offset 8"},
    {"unpadded base64 in Secret data", &error_of<Secret>,
     R"({"metadata":{"name":"s"},"data":{"ca.crt":"Zm9vYg"}})", Errc::invalid_value,
     "data[\"ca.crt\"]: invalid base64: length 6 is not a multiple of 4"},
    {"an int32 beyond its range", &error_of<Gateway>,
     R"({"metadata":{"name":"g"},"spec":{"gatewayClassName":"c","listeners":[)"
     R"({"name":"l","port":2147483648,"protocol":"HTTP"}]}})",
     Errc::invalid_value, "spec.listeners[0].port: 2147483648 is outside the int32 range"},
    {"a negative int32 beyond its range", &error_of<Lease>,
     R"({"metadata":{"name":"l"},"spec":{"leaseDurationSeconds":-2147483649}})",
     Errc::invalid_value, "spec.leaseDurationSeconds: -2147483649 is outside the int32 range"},
    {"a fraction where an integer belongs", &error_of<Lease>,
     R"({"metadata":{"name":"l"},"spec":{"leaseTransitions":1.5}})", Errc::invalid_value,
     "spec.leaseTransitions: expected an integer in the int64 range"},
    {"a number beyond int64", &error_of<Certificate>,
     R"({"metadata":{"name":"a","generation":18446744073709551615},"spec":{}})",
     Errc::invalid_value, "metadata.generation: expected an integer in the int64 range"},
    {"a malformed timestamp", &error_of<Lease>,
     R"({"metadata":{"name":"l"},"spec":{"renewTime":"2024-05-01 10:00:00"}})", Errc::invalid_value,
     "spec.renewTime: invalid timestamp \"2024-05-01 10:00:00\": expected RFC 3339 such as "
     "2024-05-01T10:00:00Z"},
    {"a boolean as a string", &error_of<Secret>, R"({"metadata":{"name":"s"},"immutable":"true"})",
     Errc::wrong_type, "immutable: expected boolean, got string"},
    {"a label value that is not a string", &error_of<Secret>,
     R"({"metadata":{"name":"s","labels":{"app.kubernetes.io/name":1}}})", Errc::wrong_type,
     "metadata.labels[\"app.kubernetes.io/name\"]: expected string, got number"},
};

}  // namespace

TEST_CASE("decoding errors name the field path and the cause") {
  for (const Case& c : kCases) {
    DYNAMIC_SECTION(c.what) {
      const auto error = c.decode(c.json);
      REQUIRE(error.has_value());
      CHECK(error->code() == c.code);
      CHECK(error->message() == c.message);
    }
  }
}

TEST_CASE("malformed JSON is an invalid_json error") {
  static constexpr char kNulInName[] = "{\"metadata\":{\"name\":\"a\0b\"}}";
  const std::string cases[] = {
      "",
      "   ",
      R"({"metadata":{"name":"a"})",
      R"({"metadata":{"name":"a"}} trailing)",
      R"({"metadata":{"name":"a"}}})",
      R"({'metadata':{'name':'a'}})",
      R"({"metadata":{"name":"a",}})",
      R"({"metadata":{"name":"a\q"}})",
      R"({"metadata":{"name":"a)",
      std::string("{\"metadata\":{\"name\":\"a\xff\xfe\"}}"),
      std::string("{\"metadata\":{\"name\":\"\xc3\x28\"}}"),
      std::string("{\"metadata\":{\"name\":\"\xed\xa0\x80\"}}"),
      std::string(kNulInName, sizeof kNulInName - 1),
      "{\"metadata\":{\"name\":\"line\nbreak\"}}",
  };
  for (const std::string& json : cases) {
    INFO(json);
    const auto error = error_of<Secret>(json);
    REQUIRE(error.has_value());
    CHECK(error->code() == Errc::invalid_json);
    CHECK_THAT(error->message(), Catch::StartsWith("invalid JSON: "));
  }
}

TEST_CASE("a document of the wrong shape is a wrong_type error") {
  const std::pair<const char*, const char*> cases[] = {
      {"[]", "(document): expected object, got array"},
      {R"([{"metadata":{"name":"a"}}])", "(document): expected object, got array"},
      {"null", "(document): expected object, got null"},
      {"42", "(document): expected object, got number"},
      {R"("Secret")", "(document): expected object, got string"},
      {R"({"metadata":[]})", "metadata: expected object, got array"},
  };
  for (const auto& [json, message] : cases) {
    const auto error = error_of<Secret>(json);
    REQUIRE(error.has_value());
    CHECK(error->code() == Errc::wrong_type);
    CHECK(error->message() == message);
  }
}

TEST_CASE("a 10 MB string field decodes") {
  const std::string big(10u << 20, 'x');
  auto secret = decode<Secret>(R"({"metadata":{"name":"big","annotations":{"a":")" + big +
                               R"("}},"stringData":{"k":"v"}})");
  REQUIRE(secret.ok());
  CHECK(secret->metadata.annotations.at("a") == big);
  CHECK(secret->string_data.at("k") == "v");
}

TEST_CASE("deep nesting is refused without exhausting the stack") {
  constexpr std::size_t depth = 100'000;
  SECTION("unbalanced brackets inside an unknown field") {
    const std::string json = R"({"metadata":{"name":"a"},"future":)" + std::string(depth, '[');
    const auto error = error_of<Secret>(json);
    REQUIRE(error.has_value());
    CHECK(error->code() == Errc::invalid_json);
  }
  SECTION("balanced brackets inside an unknown field") {
    const std::string json = R"({"metadata":{"name":"a"},"future":)" + std::string(depth, '[') +
                             std::string(depth, ']') + "}";
    const auto error = error_of<Secret>(json);
    REQUIRE(error.has_value());
    CHECK(error->code() == Errc::invalid_json);
  }
  SECTION("nested objects inside a RawJson field") {
    std::string nested;
    for (std::size_t i = 0; i < depth; ++i)
      nested += R"({"a":)";
    nested += "1" + std::string(depth, '}');
    const auto error =
        error_of<Gateway>(R"({"metadata":{"name":"g"},"spec":{"gatewayClassName":"c","listeners":[)"
                          R"({"name":"l","port":80,"protocol":"HTTP","allowedRoutes":)" +
                          nested + "}]}}");
    REQUIRE(error.has_value());
    CHECK(error->code() == Errc::invalid_json);
  }
}

TEST_CASE("unknown fields are ignored, null fields are unset") {
  auto secret = decode<Secret>(
      R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"s","managedFields":[{"a":[1,{}]}]},)"
      R"("type":null,"data":{"a":"YQ==","b":null},"futureField":{"x":[true,null,1e300]}})");
  REQUIRE(secret.ok());
  CHECK(secret->metadata.name == "s");
  CHECK(secret->type.empty());
  CHECK(secret->data.size() == 1);
  CHECK(secret->data.at("a").data == "a");
}

TEST_CASE("a list's metadata of the wrong type names its path (the parent outlives the child)") {
  // fuzz_api_json found the path of a list's metadata field pointing at a
  // parent that was gone by the time the error was written.
  for (const char* field : {"resourceVersion", "continue", "remainingItemCount"}) {
    const std::string json = std::string(R"({"kind":"SecretList","metadata":{")") + field +
                             R"(":[{"a":1}]},"items":[]})";
    auto list = decode_list<Secret>(json);
    REQUIRE_FALSE(list.ok());
    CHECK_THAT(list.error().message(), Catch::Contains(std::string("metadata.") + field));
  }
}
