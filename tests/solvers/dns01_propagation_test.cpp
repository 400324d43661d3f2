// The DNS-01 propagation check's pure parts: the query it sends (bytes as
// RFC 1035 lays them out), answers read back (every section it uses,
// compression, each truncation refused), the SOA walk's names and what one
// SOA answer says, CNAME chains with loops, NS names and addresses, and
// the TXT verdict for every rcode, authority bit and value combination.
#include <random>

#include <catch2/catch.hpp>

#include "solvers/dns/dns_message.hpp"
#include "solvers/dns/propagation_rules.hpp"

using namespace certmill;
using namespace certmill::solvers::dns;

namespace {

void u16(Bytes& out, unsigned v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}

void name(Bytes& out, const std::string& text) {
  std::size_t start = 0;
  while (start < text.size()) {
    const auto dot = text.find('.', start);
    const auto label = text.substr(start, dot == std::string::npos ? dot : dot - start);
    out.push_back(static_cast<std::uint8_t>(label.size()));
    out.insert(out.end(), label.begin(), label.end());
    start = dot == std::string::npos ? text.size() : dot + 1;
  }
  out.push_back(0);
}

// A record whose RDATA is given as bytes.
void record(Bytes& out, const std::string& owner, unsigned type, const Bytes& data) {
  name(out, owner);
  u16(out, type);
  u16(out, 1);
  u16(out, 0);
  u16(out, 60);
  u16(out, static_cast<unsigned>(data.size()));
  out.insert(out.end(), data.begin(), data.end());
}

Bytes name_data(const std::string& text) {
  Bytes out;
  name(out, text);
  return out;
}

Bytes txt_data(const std::vector<std::string>& strings) {
  Bytes out;
  for (const std::string& s : strings) {
    out.push_back(static_cast<std::uint8_t>(s.size()));
    out.insert(out.end(), s.begin(), s.end());
  }
  return out;
}

Bytes soa_data(const std::string& mname) {
  Bytes out = name_data(mname);
  name(out, "admin." + mname);
  for (int i = 0; i < 10; ++i)
    u16(out, 1);
  return out;
}

// A response to "TXT _acme-challenge.example.test" with the given flags.
Bytes response(unsigned flags, unsigned answers, unsigned authorities) {
  Bytes out;
  u16(out, 0x1234);
  u16(out, 0x8000 | flags);
  u16(out, 1);
  u16(out, answers);
  u16(out, authorities);
  u16(out, 0);
  name(out, "_acme-challenge.example.test");
  u16(out, 16);
  u16(out, 1);
  return out;
}

Message with(int rcode, bool aa, std::vector<Record> answers,
             std::vector<Record> authorities = {}) {
  return Message{rcode, aa, false, std::move(answers), std::move(authorities)};
}

Record rec(const std::string& owner, RecordType type, const std::string& data) {
  return Record{
      .name = owner, .type = static_cast<std::uint16_t>(type), .data = data, .soa_serial = 0};
}

}  // namespace

TEST_CASE("a query is one question with recursion desired or not") {
  const Bytes expected_name = {5, 'a', 'b', 'c', 'd', 'e', 4, 't', 'e', 's', 't', 0};
  for (const bool rd : {true, false}) {
    auto query = build_query("ABcde.Test.", RecordType::txt, rd);
    REQUIRE(query.ok());
    Bytes expected = {0, 0, static_cast<std::uint8_t>(rd ? 1 : 0), 0, 0, 1, 0, 0, 0, 0, 0, 0};
    expected.insert(expected.end(), expected_name.begin(), expected_name.end());
    expected.insert(expected.end(), {0, 16, 0, 1});
    CHECK(*query == expected);
  }
  auto soa = build_query("test", RecordType::soa, true);
  REQUIRE(soa.ok());
  CHECK((*soa)[soa->size() - 3] == 6);
  CHECK_FALSE(build_query("a..test", RecordType::txt, true).ok());
  CHECK_FALSE(build_query(std::string(64, 'a') + ".test", RecordType::txt, true).ok());
}

TEST_CASE("a record of a type not read here keeps its RDATA as it is (CAA)") {
  Bytes bytes = response(0, 1, 0);
  const Bytes caa = {0x80, 5, 'i', 's', 's', 'u', 'e', 'c', 'a', '.', 't', 'e', 's', 't'};
  record(bytes, "example.test", 257, caa);
  auto message = parse_message(bytes);
  REQUIRE(message.ok());
  REQUIRE(message->answers.size() == 1);
  CHECK(message->answers[0].type == 257);
  CHECK(message->answers[0].data == std::string(caa.begin(), caa.end()));
}

TEST_CASE("an answer is read with its header bits, answer and authority records") {
  Bytes bytes = response(0x0400 | 0x0200 | 3, 5, 1);
  record(bytes, "_acme-challenge.example.test", 16, txt_data({"abc", "def"}));
  record(bytes, "_acme-challenge.example.test", 16, txt_data({}));
  // CNAME whose owner is a pointer to the question's name (offset 12).
  bytes.insert(bytes.end(), {0xC0, 12});
  u16(bytes, 5);
  u16(bytes, 1);
  u16(bytes, 0);
  u16(bytes, 60);
  const Bytes target = name_data("Other.Test");
  u16(bytes, static_cast<unsigned>(target.size()));
  bytes.insert(bytes.end(), target.begin(), target.end());
  record(bytes, "ns.test", 1, {127, 0, 0, 1});
  record(bytes, "ns.test", 28, {0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
  record(bytes, "Example.Test", 6, soa_data("ns.example.test"));

  auto message = parse_message(bytes);
  REQUIRE(message.ok());
  CHECK(message->rcode == 3);
  CHECK(message->authoritative);
  CHECK(message->truncated);
  REQUIRE(message->answers.size() == 5);
  CHECK(message->answers[0].data == "abcdef");
  CHECK(message->answers[1].data.empty());
  CHECK(message->answers[2].name == "_acme-challenge.example.test");
  CHECK(message->answers[2].data == "other.test");
  CHECK(message->answers[3].data == "127.0.0.1");
  CHECK(message->answers[4].data == "2001:db8::1");
  REQUIRE(message->authorities.size() == 1);
  CHECK(message->authorities[0].name == "example.test");
  CHECK(message->authorities[0].data == "ns.example.test");
  CHECK(message->authorities[0].soa_serial == 0x00010001);

  SECTION("every cut short is refused") {
    for (std::size_t size = 0; size < bytes.size(); ++size) {
      INFO(size);
      CHECK_FALSE(parse_message(std::span(bytes.data(), size)).ok());
    }
  }
  SECTION("a query is not an answer") {
    bytes[2] &= 0x7F;
    CHECK_FALSE(parse_message(bytes).ok());
  }
  SECTION("an A record of the wrong length is refused") {
    Bytes bad = response(0, 1, 0);
    record(bad, "ns.test", 1, {127, 0, 0});
    CHECK_FALSE(parse_message(bad).ok());
  }
  SECTION("a TXT string running past its record is refused") {
    Bytes bad = response(0, 1, 0);
    record(bad, "x.test", 16, {5, 'a', 'b'});
    record(bad, "x.test", 16, {});
    CHECK_FALSE(parse_message(bad).ok());
  }
}

TEST_CASE("the SOA walk asks from the name up to its last label") {
  CHECK(soa_walk_candidates("_acme-challenge.A.b.example.test.") ==
        std::vector<std::string>{"_acme-challenge.a.b.example.test", "a.b.example.test",
                                 "b.example.test", "example.test", "test"});
  CHECK(soa_walk_candidates("test") == std::vector<std::string>{"test"});
  CHECK(soa_walk_candidates("").empty());
  CHECK(soa_walk_candidates(".").empty());
}

TEST_CASE("one SOA answer names the zone, climbs, or is an error") {
  const std::string name = "a.b.example.test";
  const auto zone_of = [&](const Message& m) { return soa_step(m, name, "ns 1.2.3.4:53"); };
  const Record soa = rec("example.test", RecordType::soa, "ns.example.test");
  SECTION("an SOA in a NOERROR answer") {
    auto step = zone_of(with(0, true, {rec(name, RecordType::soa, "ns.x")}));
    REQUIRE(step.ok());
    CHECK(step->zone == name);
  }
  SECTION("an SOA in the authority section, NOERROR or NXDOMAIN") {
    for (const int rcode : {0, 3}) {
      auto step = zone_of(with(rcode, true, {}, {soa}));
      REQUIRE(step.ok());
      CHECK(step->zone == "example.test");
    }
  }
  SECTION("an SOA in the answer of an NXDOMAIN answer does not count") {
    auto step = zone_of(with(3, true, {soa}));
    REQUIRE(step.ok());
    CHECK_FALSE(step->zone);
  }
  SECTION("no SOA, or one for a name not above, climbs") {
    for (const Message& m :
         {with(0, false, {}), with(3, false, {}),
          with(3, true, {}, {rec("other.test", RecordType::soa, "ns.other.test")}),
          with(0, true, {rec("xa.b.example.test", RecordType::soa, "ns")})}) {
      auto step = zone_of(m);
      REQUIRE(step.ok());
      CHECK_FALSE(step->zone);
    }
  }
  SECTION("the root zone is above every name") {
    auto step = zone_of(with(3, true, {}, {rec("", RecordType::soa, "a.root-servers.net")}));
    REQUIRE(step.ok());
    CHECK(step->zone == "");
  }
  SECTION("a CNAME climbs even with an SOA beside it") {
    auto step = zone_of(with(0, true, {rec(name, RecordType::cname, "x.other.test")},
                             {rec("other.test", RecordType::soa, "ns")}));
    REQUIRE(step.ok());
    CHECK_FALSE(step->zone);
  }
  SECTION("other rcodes are errors naming the server and rcode") {
    for (const int rcode : {1, 2, 4, 5, 9}) {
      auto step = zone_of(with(rcode, false, {}, {soa}));
      REQUIRE_FALSE(step.ok());
      CHECK_THAT(step.error().message(), Catch::Contains("ns 1.2.3.4:53") &&
                                             Catch::Contains(rcode_name(rcode)) &&
                                             Catch::Contains(name));
    }
  }
}

TEST_CASE("CNAME chains are followed and loops refused") {
  const Message m = with(0, false,
                         {rec("x.test", RecordType::txt, "v"),
                          rec("_acme-challenge.a.test", RecordType::cname, "x.other.test")});
  CHECK(cname_target(m, "_ACME-challenge.a.test.") == "x.other.test");
  CHECK_FALSE(cname_target(m, "x.test"));

  std::vector<std::string> chain{"a.test"};
  REQUIRE(extend_cname_chain(chain, "b.test").ok());
  REQUIRE(extend_cname_chain(chain, "c.test").ok());
  CHECK(chain == std::vector<std::string>{"a.test", "b.test", "c.test"});
  for (const std::string back : {"a.test", "b.test", "c.test"}) {
    std::vector<std::string> copy = chain;
    Status loop = extend_cname_chain(copy, back);
    REQUIRE_FALSE(loop.ok());
    CHECK_THAT(loop.error().message(), Catch::Contains("loop") && Catch::Contains(back));
    CHECK(copy == chain);
  }
  std::vector<std::string> long_chain{"0.test"};
  for (int i = 1; i <= 3; ++i)
    REQUIRE(extend_cname_chain(long_chain, std::to_string(i) + ".test", 3).ok());
  CHECK_FALSE(extend_cname_chain(long_chain, "4.test", 3).ok());
}

TEST_CASE("NS names and addresses come from the answer section") {
  const Message ns = with(0, false,
                          {rec("example.test", RecordType::ns, "ns1.example.test"),
                           rec("example.test", RecordType::ns, "ns2.example.test"),
                           rec("example.test", RecordType::ns, "ns1.example.test"),
                           rec("other.test", RecordType::ns, "ns.other.test")});
  CHECK(ns_names(ns, "Example.Test.") ==
        std::vector<std::string>{"ns1.example.test", "ns2.example.test"});
  CHECK(ns_names(with(0, false, {}), "example.test").empty());

  const Message a = with(0, false,
                         {rec("ns.example.test", RecordType::cname, "host.example.test"),
                          rec("host.example.test", RecordType::a, "10.0.0.1"),
                          rec("host.example.test", RecordType::aaaa, "2001:db8::1"),
                          rec("ns.example.test", RecordType::a, "10.9.9.9"),
                          rec("elsewhere.test", RecordType::a, "10.0.0.2")});
  CHECK(addresses_of(a, "ns.example.test") == std::vector<std::string>{"10.0.0.1", "2001:db8::1"});
  CHECK(addresses_of(a, "elsewhere.test") == std::vector<std::string>{"10.0.0.2"});
  CHECK(addresses_of(a, "none.test").empty());
}

TEST_CASE("the TXT verdict for every rcode, authority and value") {
  const std::string fqdn = "_acme-challenge.example.test";
  const std::vector<std::vector<Record>> record_sets = {
      {},
      {rec(fqdn, RecordType::txt, "other")},
      {rec(fqdn, RecordType::txt, "other"), rec(fqdn, RecordType::txt, "want")},
      {rec(fqdn, RecordType::txt, "want")},
      {rec("elsewhere.test", RecordType::txt, "want")},
      {rec(fqdn, RecordType::cname, "want")},
  };
  for (int rcode = 0; rcode < 16; ++rcode)
    for (const bool aa : {false, true})
      for (const bool require : {false, true})
        for (std::size_t set = 0; set < record_sets.size(); ++set) {
          INFO("rcode " << rcode << " aa " << aa << " require " << require << " set " << set);
          const Status verdict =
              txt_verdict(with(rcode, aa, record_sets[set]), "nameservers 127.0.0.1:5353",
                          "_ACME-challenge.example.test.", "want", require);
          const bool has_value = set == 2 || set == 3;
          const bool usable = rcode == 0 || rcode == 3;
          if (usable && (aa || !require) && has_value) {
            CHECK(verdict.ok());
            continue;
          }
          REQUIRE_FALSE(verdict.ok());
          const std::string& why = verdict.error().message();
          CHECK_THAT(why, Catch::Contains("127.0.0.1:5353"));
          if (!usable)
            CHECK_THAT(why, Catch::Contains(rcode_name(rcode)));
          else if (require && !aa)
            CHECK_THAT(why, Catch::Contains("without authority"));
          else {
            CHECK(verdict.error().code() == std::errc::resource_unavailable_try_again);
            CHECK_THAT(why, Catch::Contains("not yet propagated"));
          }
        }
}

TEST_CASE("rcode and type names") {
  CHECK(rcode_name(2) == "SERVFAIL");
  CHECK(rcode_name(5) == "REFUSED");
  CHECK(rcode_name(12) == "RCODE12");
  CHECK(type_name(RecordType::txt) == "TXT");
  CHECK(normalize_name("A.Example.TEST.") == "a.example.test");
}

TEST_CASE("hostile answers are refused or read within bounds, never a crash") {
  SECTION("a compression pointer to itself, or forward, is refused") {
    for (const std::uint8_t target : {std::uint8_t{46}, std::uint8_t{48}}) {
      Bytes bad = response(0, 1, 0);
      // The answer's owner name starts at offset 46: a pointer there loops.
      bad.insert(bad.end(), {0xC0, target});
      u16(bad, 16);
      u16(bad, 1);
      u16(bad, 0);
      u16(bad, 60);
      u16(bad, 0);
      CHECK_FALSE(parse_message(bad).ok());
    }
  }
  SECTION("a TXT record as large as a TCP answer can be is read whole") {
    Bytes big = response(0x0400, 1, 0);
    Bytes data;
    for (int i = 0; i < 250; ++i) {
      data.push_back(255);
      data.insert(data.end(), 255, static_cast<std::uint8_t>('a' + i % 26));
    }
    record(big, "_acme-challenge.example.test", 16, data);
    auto message = parse_message(big);
    REQUIRE(message.ok());
    REQUIRE(message->answers.size() == 1);
    CHECK(message->answers[0].data.size() == 250u * 255u);
    // A value that large is no key authorization's digest.
    CHECK_FALSE(txt_verdict(*message, "server", "_acme-challenge.example.test", "want", true).ok());
  }
  SECTION("random octets after a valid header never crash the parser") {
    std::mt19937 random(21);
    int parsed = 0, refused = 0;
    for (int round = 0; round < 20000; ++round) {
      Bytes bytes = response(random() & 0x0F8F, random() % 4, random() % 4);
      const std::size_t extra = random() % 96;
      for (std::size_t i = 0; i < extra; ++i)
        bytes.push_back(static_cast<std::uint8_t>(random()));
      if (auto message = parse_message(bytes)) {
        ++parsed;
        CHECK_FALSE(
            txt_verdict(*message, "server", "_acme-challenge.example.test", "want", true).ok());
      } else {
        ++refused;
      }
    }
    // Both ways were taken: some random tails are well-formed records.
    CHECK(parsed > 0);
    CHECK(refused > 0);
  }
}
