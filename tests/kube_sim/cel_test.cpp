// kube-sim's CEL subset: operators and precedence, has() and absent fields,
// the macros, durations, transition rules, and what does not compile.
#include "tools/kube-sim/cel.hpp"

#include <catch2/catch.hpp>

using certmill::kubesim::evaluate_cel;
namespace json = boost::json;

namespace {

const json::value kSpec = json::parse(R"({
  "secretName": "web-tls",
  "duration": "2160h0m0s",
  "renewBefore": "360h",
  "dnsNames": ["a.example.com", "b.example.com"],
  "secretTemplate": {"annotations": {"team": "web", "cert-manager.io/issuer-name": "x"}},
  "privateKey": {"algorithm": "RSA", "size": 2048},
  "revisionHistoryLimit": 3
})");

bool holds(std::string_view rule, const json::value& self = kSpec,
           const json::value* old = nullptr) {
  const auto result = evaluate_cel(rule, self, old);
  INFO(rule << ": " << (result ? "" : result.error().message()));
  REQUIRE(result);
  return *result;
}

}  // namespace

TEST_CASE("CEL: literals, operators and their precedence") {
  CHECK(holds("1 + 2 * 3 == 7"));
  CHECK(holds("(1 + 2) * 3 == 9"));
  CHECK(holds("10 / 3 == 3 && 10 % 3 == 1"));
  CHECK(holds("-2 < 1"));
  CHECK(holds("!false"));
  CHECK(holds("true || false && false"));
  CHECK_FALSE(holds("(true || false) && false"));
  CHECK(holds("'a' + 'b' == \"ab\""));
  CHECK(holds("'abc' < 'abd'"));
  CHECK(holds("1 == 1.0"));
  CHECK(holds("2 in [1, 2, 3]"));
  CHECK(holds("[1, 2] + [3] == [1, 2, 3]"));
  CHECK(holds("true ? 1 == 1 : false"));
  CHECK(holds("false ? false : 'x' != 'y'"));
}

TEST_CASE("CEL: fields, has() and absent fields") {
  CHECK(holds("self.secretName == 'web-tls'"));
  CHECK(holds("has(self.duration) && !has(self.commonName)"));
  CHECK(holds("!has(self.commonName) || size(self.commonName) <= 64"));
  CHECK(holds("self.privateKey.size >= 2048"));
  CHECK(holds("self.dnsNames[1] == 'b.example.com'"));
  CHECK(holds("self.secretTemplate.annotations['team'] == 'web'"));
  CHECK(holds("'team' in self.secretTemplate.annotations"));
  CHECK(holds("size(self.dnsNames) == 2 && self.dnsNames.size() == 2"));
  // Reading an absent field is an error, not false.
  auto absent = evaluate_cel("self.commonName == ''", kSpec, nullptr);
  REQUIRE_FALSE(absent);
  CHECK(absent.error().message() == "no such key: commonName");
  // Unless the other side of && or || decides.
  CHECK_FALSE(holds("self.commonName == '' && false"));
  CHECK(holds("true || self.commonName == ''"));
}

TEST_CASE("CEL: the macros over lists and map keys") {
  CHECK(holds("self.dnsNames.all(n, n.endsWith('.example.com'))"));
  CHECK(holds("self.dnsNames.exists(n, n.startsWith('b.'))"));
  CHECK(holds("self.dnsNames.exists_one(n, n.contains('a.'))"));
  CHECK(holds("self.dnsNames.filter(n, n.startsWith('a')).size() == 1"));
  CHECK_FALSE(holds("self.secretTemplate.annotations.all(k, !k.startsWith('cert-manager.io/'))"));
  CHECK(holds("self.dnsNames.all(n, n.matches('^[a-z.]+$'))"));
  // The bound name does not leak out of the macro.
  CHECK_FALSE(evaluate_cel("self.dnsNames.all(n, true) && n == 'x'", kSpec, nullptr));
}

TEST_CASE("CEL: durations compare and add") {
  CHECK(holds("duration(self.duration) >= duration('1h')"));
  CHECK(holds("duration(self.renewBefore) < duration(self.duration)"));
  CHECK(holds("duration('90m') == duration('1h') + duration('30m')"));
  CHECK(holds("duration('-5h') < duration('0s')"));
  CHECK_FALSE(evaluate_cel("duration('five hours') > duration('1h')", kSpec, nullptr));
}

TEST_CASE("CEL: transition rules see oldSelf") {
  const json::value changed = json::parse(R"({"secretName": "other"})");
  CHECK_FALSE(holds("self == oldSelf", changed, &kSpec));
  CHECK(holds("self == oldSelf", kSpec, &kSpec));
  CHECK_FALSE(evaluate_cel("self == oldSelf", kSpec, nullptr));
}

TEST_CASE("CEL: what does not compile or is not a bool is an error") {
  for (const char* rule : {"self.", "1 +", "(true", "'open", "self.x ? 1", "a # b", "[1, 2", "",
                           "self.secretName", "1 + 'a' == 2", "has(self)", "unknown(1)"}) {
    INFO(rule);
    CHECK_FALSE(evaluate_cel(rule, kSpec, nullptr));
  }
}
