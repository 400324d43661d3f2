// YAML to JSON: the scalar rules Kubernetes manifests rely on, multi-document
// streams, and hostile input.
#include "k8s/yaml.hpp"

#include <catch2/catch.hpp>

using namespace certmill::k8s;

TEST_CASE("YAML scalars become the JSON types Kubernetes expects") {
  auto j = yaml_to_json(
      "a: 1\nb: -2.5\nc: true\nd: 'true'\ne: ~\nf: \"007\"\ng: 2160h\nh: [x, 3]\n"
      "i: {k: v}\nj: null\nk: False\nl: +4\n");
  REQUIRE(j.ok());
  CHECK(*j == R"({"a":1,"b":-2.5,"c":true,"d":"true","e":null,"f":"007","g":"2160h","h":["x",3],)"
              R"("i":{"k":"v"},"j":null,"k":false,"l":4})");
}

TEST_CASE("a multi-document stream gives one JSON text per non-empty document") {
  auto docs = yaml_documents_to_json("---\nkind: A\n---\n---\nkind: B\n...\n");
  REQUIRE(docs.ok());
  CHECK(*docs == std::vector<std::string>{R"({"kind":"A"})", R"({"kind":"B"})"});
}

TEST_CASE("malformed and hostile YAML is an error naming the place, not a crash") {
  auto bad = yaml_to_json("a: [1, 2\nb: c\n");
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.error().message(), Catch::StartsWith("invalid YAML at line"));

  auto deep = yaml_to_json(std::string(100000, '[') + std::string(100000, ']'));
  CHECK_FALSE(deep.ok());

  std::string nested = "a: ";
  for (int i = 0; i < 150; ++i)
    nested += "{b: ";
  nested += "1" + std::string(150, '}') + "\n";
  auto too_deep = yaml_to_json(nested);
  REQUIRE_FALSE(too_deep.ok());
  CHECK_THAT(too_deep.error().message(), Catch::Contains("nests deeper than 100 levels"));

  CHECK_FALSE(yaml_to_json("? [a, b]\n: c\n").ok());  // a map key that is not a string
}
