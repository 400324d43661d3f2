// RFC 2136 UPDATE encoding, byte for byte: names in wire form and their
// limits, the add (class IN) and delete-one-value (class NONE) messages, TXT
// values longer than one character-string, and cert-manager's rfc2136
// settings with their defaults and mistakes.
#include <catch2/catch.hpp>

#include "solvers/dns/rfc2136/settings.hpp"
#include "solvers/dns/rfc2136/update_message.hpp"

using namespace certmill;
using namespace certmill::solvers::rfc2136;
using namespace std::string_literals;

namespace {

Bytes bytes(std::string_view s) {
  return Bytes(s.begin(), s.end());
}

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts)
    out.insert(out.end(), p.begin(), p.end());
  return out;
}

const Bytes kZone = bytes(
    "\x07"
    "example"
    "\x04"
    "test"
    "\x00"s);
const Bytes kRecord = concat({bytes("\x0f_acme-challenge"), kZone});

}  // namespace

TEST_CASE("names encode as lowercase labels with or without the final dot", "[rfc2136]") {
  CHECK(encode_name("Example.TEST").value() == kZone);
  CHECK(encode_name("example.test.").value() == kZone);
  CHECK(encode_name("").value() == Bytes{0});
  CHECK(encode_name(".").value() == Bytes{0});
  CHECK(encode_name(std::string(63, 'a')).ok());
}

TEST_CASE("names that DNS cannot carry are refused with the reason", "[rfc2136]") {
  const std::pair<std::string, const char*> cases[] = {
      {"a..test", "empty label"}, {".test", "empty label"},
      {"test..", "empty label"},  {std::string(64, 'a') + ".test", "longer than 63"},
      {"a\\.b.test", "escapes"},
  };
  for (const auto& [name, why] : cases) {
    auto encoded = encode_name(name);
    INFO(name);
    REQUIRE_FALSE(encoded.ok());
    CHECK_THAT(encoded.error().message(), Catch::Contains(why));
  }
  std::string long_name;
  for (int i = 0; i < 5; ++i)
    long_name += std::string(50, 'a') + ".";
  long_name += "abcdef";  // 5 * 51 + 7 + 1 = 263 octets
  auto encoded = encode_name(long_name);
  REQUIRE_FALSE(encoded.ok());
  CHECK_THAT(encoded.error().message(), Catch::Contains("longer than 255"));
}

TEST_CASE("an add is an UPDATE with the zone's SOA and one class IN TXT record", "[rfc2136]") {
  auto message = encode_update(
      0x1234, {"example.test", "_acme-challenge.example.test", "abc", Change::add, 60});
  REQUIRE(message.ok());
  const Bytes expected = concat({
      {0x12, 0x34, 0x28, 0x00, 0, 1, 0, 0, 0, 1, 0, 0},  // ID, opcode 5, 1 zone, 1 update
      kZone,
      {0, 6, 0, 1},  // example.test SOA IN
      kRecord,
      {0, 16, 0, 1, 0, 0, 0, 60, 0, 4, 3, 'a', 'b', 'c'},  // TXT IN 60 "abc"
  });
  CHECK(*message == expected);
}

TEST_CASE("a removal deletes only that value: class NONE, TTL 0, the value as RDATA", "[rfc2136]") {
  auto message = encode_update(
      0xBEEF, {"example.test.", "_ACME-challenge.Example.test", "abc", Change::remove, 60});
  REQUIRE(message.ok());
  const Bytes expected = concat({
      {0xBE, 0xEF, 0x28, 0x00, 0, 1, 0, 0, 0, 1, 0, 0},
      kZone,
      {0, 6, 0, 1},
      kRecord,
      {0, 16, 0, 254, 0, 0, 0, 0, 0, 4, 3, 'a', 'b', 'c'},
  });
  CHECK(*message == expected);
}

TEST_CASE("TXT values longer than 255 octets are split into character-strings", "[rfc2136]") {
  CHECK(txt_rdata("") == Bytes{0});
  const std::string value(300, 'x');
  const Bytes rdata = txt_rdata(value);
  REQUIRE(rdata.size() == 302);
  CHECK(rdata[0] == 255);
  CHECK(rdata[256] == 45);
  CHECK(txt_rdata(std::string(255, 'y')).size() == 256);
}

TEST_CASE("a record outside the zone or an invalid name is refused before sending", "[rfc2136]") {
  for (const char* name : {"_acme-challenge.other.test", "_acme-challenge.notexample.test", "test",
                           "a..example.test"}) {
    INFO(name);
    CHECK_FALSE(encode_update(1, {"example.test", name, "v", Change::add, 60}).ok());
  }
  CHECK(encode_update(1, {"example.test", "example.test", "v", Change::add, 60}).ok());
  CHECK_FALSE(encode_update(1, {"example..test", "a.example.test", "v", Change::add, 60}).ok());
}

TEST_CASE("rfc2136 settings take cert-manager's defaults", "[rfc2136]") {
  auto server = parse_settings({"10.0.0.1", "", "", "", ""});
  REQUIRE(server.ok());
  CHECK(server->nameserver == solvers::Nameserver{"10.0.0.1", 53});
  CHECK(server->protocol == Protocol::udp);
  CHECK_FALSE(server->key.has_value());

  auto keyed = parse_settings({"[::1]:5353", "acme-key", "", "c2VjcmV0", "TCP"});
  REQUIRE(keyed.ok());
  CHECK(keyed->nameserver == solvers::Nameserver{"::1", 5353});
  CHECK(keyed->protocol == Protocol::tcp);
  REQUIRE(keyed->key.has_value());
  CHECK(keyed->key->name == "acme-key");
  CHECK(keyed->key->algorithm == TsigAlgorithm::hmac_md5);
  CHECK(keyed->key->secret == "secret");

  // As cert-manager: a key name without a secret (or the reverse) signs nothing.
  CHECK_FALSE(parse_settings({"10.0.0.1", "acme-key", "", "", ""})->key.has_value());
  CHECK_FALSE(parse_settings({"10.0.0.1", "", "", "c2VjcmV0", ""})->key.has_value());
}

TEST_CASE("tsigAlgorithm takes cert-manager's four names in any case", "[rfc2136]") {
  CHECK(parse_tsig_algorithm("HMACMD5").value() == TsigAlgorithm::hmac_md5);
  CHECK(parse_tsig_algorithm("hmacsha1").value() == TsigAlgorithm::hmac_sha1);
  CHECK(parse_tsig_algorithm("HMACSHA256").value() == TsigAlgorithm::hmac_sha256);
  CHECK(parse_tsig_algorithm("HmacSha512").value() == TsigAlgorithm::hmac_sha512);
  CHECK(tsig_algorithm_dns_name(TsigAlgorithm::hmac_md5) == "hmac-md5.sig-alg.reg.int");
  CHECK(tsig_algorithm_dns_name(TsigAlgorithm::hmac_sha512) == "hmac-sha512");
  CHECK(tsig_algorithm_name(TsigAlgorithm::hmac_sha256) == "HMACSHA256");
}

TEST_CASE("rfc2136 settings mistakes name the field", "[rfc2136]") {
  const std::pair<Settings, const char*> cases[] = {
      {{"", "", "", "", ""}, "rfc2136.nameserver"},
      {{"ns.example.com:53", "", "", "", ""}, "rfc2136.nameserver"},
      {{"10.0.0.1,10.0.0.2", "", "", "", ""}, "expected one"},
      {{"10.0.0.1", "", "", "", "tcp"}, "rfc2136.protocol"},
      {{"10.0.0.1", "k", "HMACSHA384", "c2VjcmV0", ""}, "'HMACSHA384' is not supported"},
      {{"10.0.0.1", "k", "", "not base64!", ""}, "tsigSecretSecretRef"},
      {{"10.0.0.1", "a..b", "", "c2VjcmV0", ""}, "rfc2136.tsigKeyName"},
  };
  for (const auto& [settings, why] : cases) {
    auto parsed = parse_settings(settings);
    INFO(why);
    REQUIRE_FALSE(parsed.ok());
    CHECK_THAT(parsed.error().message(), Catch::Contains(why));
  }
}
