// FlagSet: the forms Kubernetes users type, and errors that say what to do.
#include "tools/cli/flags.hpp"

#include <sstream>

#include <catch2/catch.hpp>

using namespace certmill;
using namespace certmill::cli;
using namespace std::chrono_literals;

namespace {
struct Fixture {
  unsigned shards = 0;
  double qps = 20;
  bool leader_elect = false;
  Duration grace = 30s;
  std::string kubeconfig;
  std::string format = "text";
  FlagSet flags{"certmill controller", "Runs the controller."};
  Fixture() {
    flags.add("shards", &shards, "shards");
    flags.add("kube-api-qps", &qps, "qps");
    flags.add("leader-elect", &leader_elect, "leader election");
    flags.add("shutdown-grace-period", &grace, "grace");
    flags.add("kubeconfig", &kubeconfig, "path");
    flags.add_choice("log-format", &format, {"text", "json"}, "format");
  }
  Result<ParseOutcome> parse(std::vector<std::string> args) { return flags.parse(args); }
};
}  // namespace

TEST_CASE("flags take --name=value, --name value, -name and bare booleans") {
  Fixture f;
  auto r = f.parse({"--shards=4", "--kube-api-qps", "50.5", "-leader-elect", "--kubeconfig",
                    "/tmp/k", "--shutdown-grace-period=1m30s", "--log-format=json"});
  REQUIRE(r.ok());
  CHECK(f.shards == 4);
  CHECK(f.qps == 50.5);
  CHECK(f.leader_elect);
  CHECK(f.kubeconfig == "/tmp/k");
  CHECK(f.grace == 90s);
  CHECK(f.format == "json");
  CHECK_FALSE(r->help);

  Fixture g;
  REQUIRE(g.parse({"--leader-elect=false", "extra", "--", "--not-a-flag"}).ok());
  CHECK_FALSE(g.leader_elect);
}

TEST_CASE("--help is reported and the usage lists every flag with its default") {
  Fixture f;
  auto r = f.parse({"--help"});
  REQUIRE(r.ok());
  CHECK(r->help);
  const std::string usage = f.flags.usage();
  CHECK_THAT(usage, Catch::Contains("Usage: certmill controller [flags]"));
  CHECK_THAT(usage, Catch::Contains("--kube-api-qps"));
  CHECK_THAT(usage, Catch::Contains("(default 20)"));
  CHECK_THAT(usage, Catch::Contains("(default 30s)"));
  CHECK_THAT(usage, Catch::Contains("format (text, json)"));
}

TEST_CASE("bad flags give errors that name the flag and the way out") {
  struct Row {
    std::vector<std::string> args;
    std::string message;
  };
  const Row rows[] = {
      {{"--shard=2"},
       "unknown flag --shard for 'certmill controller' (did you mean --shards?); run 'certmill "
       "controller --help' for the list of flags"},
      {{"--zzz"},
       "unknown flag --zzz for 'certmill controller'; run 'certmill controller --help' for the "
       "list of flags"},
      {{"--shards=four"}, "--shards: \"four\" is not a whole number"},
      {{"--shards=-1"}, "--shards: \"-1\" is not a whole number"},
      {{"--kube-api-qps=fast"}, "--kube-api-qps: \"fast\" is not a number"},
      {{"--kube-api-qps=nan"}, "--kube-api-qps: \"nan\" is not a number"},
      {{"--leader-elect=maybe"}, "--leader-elect: \"maybe\" is not true or false"},
      {{"--shutdown-grace-period=30"},
       "--shutdown-grace-period: \"30\" is not a duration such as 30s, 5m or 1h30m"},
      {{"--log-format=yaml"}, "--log-format: \"yaml\" is not one of text, json"},
      {{"--kubeconfig"}, "flag --kubeconfig needs a value"},
  };
  for (const auto& row : rows) {
    Fixture f;
    auto r = f.parse(row.args);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code() == Errc::invalid_argument);
    CHECK_THAT(r.error().message(), Catch::StartsWith(row.message));
  }
}

TEST_CASE("a repeatable flag keeps every value in order") {
  std::vector<std::string> profiles;
  FlagSet flags("acme-front", "test");
  flags.add("profile", &profiles, "a profile");
  REQUIRE(flags.parse(std::vector<std::string>{"--profile=a=first", "--profile", "b=second"}).ok());
  CHECK(profiles == std::vector<std::string>{"a=first", "b=second"});
  CHECK_THAT(flags.usage(), Catch::Contains("a profile (repeatable)"));
}

TEST_CASE("--help wraps each description at 80 columns, under its first line") {
  std::string address;
  std::string list;
  FlagSet flags{"certmill controller", "Runs the controller."};
  flags.add("http01-listen-address", &address,
            "host:port where certmill answers ACME HTTP-01 challenges itself; solver\n"
            "Ingresses and HTTPRoutes route /.well-known/acme-challenge/ here");
  flags.add("a-flag-name-too-long-for-its-column", &list, "short");
  const std::string usage = flags.usage();
  INFO(usage);
  std::istringstream lines(usage);
  std::vector<std::string> flag_lines;
  bool in_flags = false;
  for (std::string line; std::getline(lines, line);) {
    if (line == "Flags:")
      in_flags = true;
    else if (in_flags)
      flag_lines.push_back(line);
  }
  REQUIRE(flag_lines.size() >= 6);
  for (const std::string& line : flag_lines) {
    CHECK(line.size() <= 80);
    // A flag's line, or a description's continuation under its column.
    CHECK((line.starts_with("  --") || line.starts_with(std::string(32, ' '))));
  }
  const std::string under(32, ' ');
  CHECK(flag_lines[0] ==
        "  --http01-listen-address       host:port where certmill answers ACME HTTP-01");
  CHECK(flag_lines[1] == under + "challenges itself; solver Ingresses and");
  CHECK(flag_lines[2] == under + "HTTPRoutes route /.well-known/acme-challenge/");
  CHECK(flag_lines[3] == under + "here");
  CHECK(flag_lines[4] == "  --a-flag-name-too-long-for-its-column");
  CHECK(flag_lines[5] == under + "short");
}
