// `certmill check dns` against a real BIND (named_server.hpp): CAA that
// forbids the CA (found at the name) and CAA that allows it (found at the
// apex as the search climbs) but forbids wildcards by issuewild; an
// _acme-challenge CNAME into another zone; and a second authoritative
// server that lags (a second named behind a relay on 127.0.0.2, the pattern
// of tests/controller_live/dns01_test.cpp) after an update to the first.
// The certmill binary is run too, for its output and exit codes.
#include <cstdio>
#include <sys/wait.h>

#include <catch2/catch.hpp>

#include "tests/support/named_server.hpp"
#include "tests/support/udp_relay.hpp"
#include "tools/certmill/ops/dns_check.hpp"

using namespace certmill;
using namespace certmill::ops;

namespace {

DnsCheckOptions options(const test::NamedServer& named, std::string name) {
  return {.name = std::move(name),
          .ca_domain = "letsencrypt.org",
          .recursive_nameservers = {{"127.0.0.1", named.port}},
          .authoritative_port = named.port,
          .timeout = std::chrono::seconds(10)};
}

std::string text(const std::vector<CheckItem>& items) {
  return format_checklist(items, false, Paint(false));
}

bool all_ok(const std::vector<CheckItem>& items) {
  return std::all_of(items.begin(), items.end(), [](const CheckItem& i) { return i.ok; });
}

}  // namespace

TEST_CASE("check dns against a real BIND: CAA, the zone, CNAME delegation") {
  test::NamedServer named({.example_records = "@ IN CAA 0 issue \"letsencrypt.org\"\n"
                                              "@ IN CAA 0 issuewild \";\"\n"
                                              "forbid IN CAA 0 issue \"pki.goog\"\n"
                                              "_acme-challenge.alias IN CNAME "
                                              "_acme-challenge.other.test.\n",
                           .more_zones = {"other.test"},
                           .read_only_zones = {},
                           .ns_addresses = {"127.0.0.1"},
                           .recursion = false});
  const std::string server = "127.0.0.1:" + std::to_string(named.port);

  SECTION("CAA at the name forbids the CA: the record is named") {
    const auto items = run_dns_checks(options(named, "forbid.example.test"));
    INFO(text(items));
    REQUIRE(items.size() == 4);
    CHECK_FALSE(items[0].ok);
    CHECK(
        text(items).starts_with("[FAIL] CAA at forbid.example.test forbids issue for "
                                "letsencrypt.org\n"
                                "       forbid.example.test CAA 0 issue \"pki.goog\"\n"));
    CHECK(items[1].title == "forbid.example.test is in zone example.test, served by " + server);
    CHECK(items[2].ok);
    CHECK(items[3].ok);
  }

  SECTION("CAA found at the apex as the search climbs allows the CA") {
    const auto items = run_dns_checks(options(named, "www.example.test"));
    INFO(text(items));
    CHECK(all_ok(items));
    CHECK(items[0].title == "CAA at example.test allows issue for letsencrypt.org");
    CHECK(items[2].title ==
          "_acme-challenge.www.example.test is not delegated: its TXT record goes in zone "
          "example.test");
    CHECK(items[3].details == std::vector<std::string>{server + ": serial 1; NXDOMAIN"});
  }

  SECTION("a wildcard is judged by issuewild") {
    const auto items = run_dns_checks(options(named, "*.example.test"));
    INFO(text(items));
    CHECK_FALSE(items[0].ok);
    CHECK(items[0].title == "CAA at example.test forbids issuewild/issue for letsencrypt.org");
  }

  SECTION("_acme-challenge delegated by CNAME says where to") {
    const auto items = run_dns_checks(options(named, "alias.example.test"));
    INFO(text(items));
    CHECK(all_ok(items));
    CHECK(items[2].title ==
          "_acme-challenge.alias.example.test is delegated by CNAME to _acme-challenge.other.test");
    CHECK(items[3].details ==
          std::vector<std::string>{server + ": serial 1; CNAME _acme-challenge.other.test"});
  }

  SECTION("the command prints the checklist and exits 1 when a check fails") {
    const std::string command = std::string(CERTMILL_BINARY_DIR) +
                                "/tools/certmill check dns --ca-domain letsencrypt.org "
                                "--nameservers 127.0.0.1:" +
                                std::to_string(named.port) + " --port " +
                                std::to_string(named.port) + " ";
    auto run = [&](const std::string& name, std::string& out) {
      std::FILE* pipe = ::popen((command + name + " 2>&1").c_str(), "r");
      REQUIRE(pipe != nullptr);
      char buffer[4096];
      for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;)
        out.append(buffer, n);
      const int status = ::pclose(pipe);
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    };
    std::string forbidden, allowed;
    CHECK(run("forbid.example.test", forbidden) == 1);
    CHECK(
        forbidden.starts_with("[FAIL] CAA at forbid.example.test forbids issue for "
                              "letsencrypt.org\n       forbid.example.test CAA 0 issue "
                              "\"pki.goog\"\n"));
    CHECK(run("www.example.test", allowed) == 0);
    CHECK(allowed.starts_with("[ok]   CAA at example.test allows issue for letsencrypt.org\n"));
  }

  SECTION("a name with no zone fails the zone step") {
    const auto items = run_dns_checks(options(named, "www.nowhere.invalid"));
    INFO(text(items));
    REQUIRE(items.size() == 2);
    CHECK_FALSE(items[1].ok);
  }
}

TEST_CASE("check dns names the authoritative server that lags") {
  const std::vector<std::string> both = {"127.0.0.1", "127.0.0.2"};
  // CAA at the apex ends the search there: named, not recursive, refuses
  // questions about the parent zone "test".
  const std::string caa = "@ IN CAA 0 issue \"letsencrypt.org\"\n";
  test::NamedServer named({.example_records = caa,
                           .more_zones = {},
                           .read_only_zones = {},
                           .ns_addresses = both,
                           .recursion = false});
  test::NamedServer lagging({.example_records = caa,
                             .more_zones = {},
                             .read_only_zones = {},
                             .ns_addresses = both,
                             .recursion = false});
  test::UdpRelay ns2("127.0.0.2", named.port, lagging.port);
  const auto before = run_dns_checks(options(named, "lag.example.test"));
  INFO(text(before));
  CHECK(all_ok(before));
  REQUIRE(named.nsupdate_add("_acme-challenge.lag.example.test", "token"));
  const auto items = run_dns_checks(options(named, "lag.example.test"));
  INFO(text(items));
  REQUIRE(items.size() == 4);
  CHECK_FALSE(items[3].ok);
  const std::string port = std::to_string(named.port);
  CHECK(items[3].details[0] == "127.0.0.1:" + port + ": serial 2; TXT \"token\"");
  CHECK(items[3].details[1] == "127.0.0.2:" + port + ": serial 1; NXDOMAIN");
}
