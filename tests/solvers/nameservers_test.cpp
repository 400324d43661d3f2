// --acme-http01-solver-nameservers as operators write it: each accepted form,
// and each mistake refused with what to write instead.
#include "solvers/dns/nameservers.hpp"

#include <catch2/catch.hpp>

using namespace certmill;
using solvers::Nameserver;
using solvers::parse_nameservers;

TEST_CASE("nameserver lists parse IPv4 and IPv6 with and without ports") {
  auto parsed = parse_nameservers("8.8.8.8:53, 1.1.1.1 ,[2001:4860::8888]:5353,::1,127.0.0.1:1");
  REQUIRE(parsed.ok());
  CHECK(*parsed == std::vector<Nameserver>{{"8.8.8.8", 53},
                                           {"1.1.1.1", 53},
                                           {"2001:4860::8888", 5353},
                                           {"::1", 53},
                                           {"127.0.0.1", 1}});
  CHECK(solvers::format_nameservers(*parsed) ==
        "8.8.8.8:53,1.1.1.1:53,[2001:4860::8888]:5353,[::1]:53,127.0.0.1:1");
  auto bracketed = parse_nameservers("[::1]");
  REQUIRE(bracketed.ok());
  CHECK(*bracketed == std::vector<Nameserver>{{"::1", 53}});
}

TEST_CASE("an empty nameserver list is no list") {
  for (const char* empty : {"", " ", ",", " , ,"}) {
    auto parsed = parse_nameservers(empty);
    REQUIRE(parsed.ok());
    CHECK(parsed->empty());
  }
}

TEST_CASE("malformed nameservers are refused with the entry and the forms accepted") {
  const std::pair<const char*, const char*> cases[] = {
      {"dns.google:53", "host names are not accepted"},
      {"8.8.8.8:", "no port after"},
      {"8.8.8.8:0", "1 to 65535"},
      {"8.8.8.8:65536", "1 to 65535"},
      {"8.8.8.8:53x", "1 to 65535"},
      {"8.8.8.8:-1", "1 to 65535"},
      {"256.1.1.1", "not an IP address"},
      {"[::1", "without \"]\""},
      {"[8.8.8.8]:53", "not an IPv6 address"},
      {"[::1]53", "expected \":port\""},
      {"[::1]:", "no port after"},
      {"2001:db8::1:53:x", "not an IP address"},
      {"1.1.1.1,nonsense", "\"nonsense\""},
  };
  for (const auto& [input, says] : cases) {
    auto parsed = parse_nameservers(input);
    INFO(input);
    REQUIRE_FALSE(parsed.ok());
    INFO(parsed.error().message());
    CHECK(parsed.error().message().find(says) != std::string::npos);
    CHECK(parsed.error().message().find("IP:port") != std::string::npos);
  }
}
