// The operator commands' flags as kubectl spells them: short forms, -o's
// allowed values, and the exit code for each way a command line can fail.
#include "tools/certmill/ops/ops_flags.hpp"

#include <catch2/catch.hpp>

using namespace certmill;
using namespace certmill::ops;

namespace {

struct Parsed {
  int code;
  OpsFlags flags;
  std::vector<std::string> positional;
};

Parsed parse(std::vector<std::string> args, std::size_t want, bool listing = true) {
  cli::FlagSet set("certmill test NAME", "a test");
  Parsed p{.code = 0, .flags = {}, .positional = {}};
  p.flags.add_to(set, listing, {"json", "yaml"});
  p.code = parse_command(set, args, want, p.positional);
  return p;
}

}  // namespace

TEST_CASE("short and long flags as kubectl's") {
  auto p = parse({"-n", "shop", "-A", "-o", "yaml", "web", "--context=prod"}, 1);
  CHECK(p.code == -1);
  CHECK(p.flags.namespace_ == "shop");
  CHECK(p.flags.all_namespaces);
  CHECK(p.flags.output == "yaml");
  CHECK(p.flags.context == "prod");
  CHECK(p.positional == std::vector<std::string>{"web"});
  p = parse({"--namespace=a", "--output", "json", "--kubeconfig", "/k"}, 0);
  CHECK(p.code == -1);
  CHECK(p.flags.namespace_ == "a");
  CHECK(p.flags.output == "json");
  CHECK(p.flags.kubeconfig == "/k");
}

TEST_CASE("usage errors exit 2, --help exits 0") {
  CHECK(parse({"-o", "xml"}, 0).code == kExitUsage);
  CHECK(parse({"--namespce=x"}, 0).code == kExitUsage);
  CHECK(parse({}, 1).code == kExitUsage);
  CHECK(parse({"a", "b"}, 1).code == kExitUsage);
  CHECK(parse({"-A"}, 0, false).code == kExitUsage);  // not a listing command
  CHECK(parse({"--help"}, 1).code == kExitOk);
}
