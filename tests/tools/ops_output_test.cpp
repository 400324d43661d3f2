// The operator commands' output helpers: kubectl's table layout and ages,
// the colour decision, and the JSON-to-YAML printer read back as the same data.
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "k8s/yaml.hpp"
#include "tools/certmill/ops/table.hpp"
#include "tools/certmill/ops/terminal.hpp"
#include "tools/certmill/ops/yaml_writer.hpp"

using namespace certmill;
using namespace certmill::ops;
using namespace std::chrono_literals;

TEST_CASE("tables align columns three spaces apart with no trailing spaces") {
  const std::string out =
      format_table({"NAME", "READY", "AGE"}, {{"web", "True", "5d"}, {"a-long-name", "False", ""}});
  CHECK(out ==
        "NAME          READY   AGE\n"
        "web           True    5d\n"
        "a-long-name   False\n");
}

TEST_CASE("table widths count characters, not UTF-8 bytes") {
  const std::string out = format_table({"A", "B"}, {{"é", "x"}});
  CHECK(out == "A   B\né   x\n");
}

TEST_CASE("ages read as kubectl's") {
  CHECK(human_duration(-5s) == "<invalid>");
  CHECK(human_duration(45s) == "45s");
  CHECK(human_duration(200s) == "3m20s");
  CHECK(human_duration(180s) == "3m");
  CHECK(human_duration(2h + 5min) == "125m");
  CHECK(human_duration(5h) == "5h");
  CHECK(human_duration(5h + 20min) == "5h20m");
  CHECK(human_duration(30h) == "30h");
  CHECK(human_duration(std::chrono::hours(24 * 3 + 4)) == "3d4h");
  CHECK(human_duration(std::chrono::hours(24 * 60)) == "60d");
  CHECK(human_duration(std::chrono::hours(24 * (365 * 3 + 10))) == "3y10d");
  CHECK(human_duration(std::chrono::hours(24 * 365 * 9)) == "9y");
  const Time now{std::chrono::seconds(1'800'000'000)};
  CHECK(relative_time(now + std::chrono::hours(24 * 20), now) == "in 20d");
  CHECK(relative_time(now - 3h, now) == "3h ago");
}

TEST_CASE("colour only on a terminal and never with NO_COLOR set") {
  CHECK(colour_wanted(true, std::nullopt));
  CHECK_FALSE(colour_wanted(false, std::nullopt));
  CHECK_FALSE(colour_wanted(true, std::string("1")));
  CHECK(colour_wanted(true, std::string()));  // no-color.org: set and non-empty
  CHECK(Paint(false)(Colour::red, "x") == "x");
  CHECK(Paint(true)(Colour::red, "x") == "\033[31mx\033[0m");
}

TEST_CASE("YAML output in kubectl's block style") {
  const auto yaml = json_to_yaml(
      R"({"apiVersion":"v1","items":[{"a":1,"b":[true,null]},"x"],"empty":{},"none":[]})");
  REQUIRE(yaml);
  CHECK(*yaml ==
        "apiVersion: v1\n"
        "items:\n"
        "- a: 1\n"
        "  b:\n"
        "  - true\n"
        "  - null\n"
        "- x\n"
        "empty: {}\n"
        "none: []\n");
}

TEST_CASE("YAML quotes strings that would read back as something else") {
  const auto yaml = json_to_yaml(
      R"({"t":"true","num":"123","e":"","c":"a: b","h":"x #y","d":"-x","nl":"a\nb","ok":"web.example.com","time":"2026-01-01T00:00:00Z"})");
  REQUIRE(yaml);
  CHECK(yaml->find("t: \"true\"\n") != std::string::npos);
  CHECK(yaml->find("num: \"123\"\n") != std::string::npos);
  CHECK(yaml->find("e: \"\"\n") != std::string::npos);
  CHECK(yaml->find("ok: web.example.com\n") != std::string::npos);
  CHECK(yaml->find("time: \"2026-01-01T00:00:00Z\"\n") != std::string::npos);
}

TEST_CASE("YAML output reads back as the JSON it came from") {
  const std::string json =
      R"({"metadata":{"name":"web","labels":{"app":"x: y","n":"007"}},"spec":{"dnsNames":["a.example.com","*.example.com"],"nested":[[1,2],[]],"flag":false,"q":"it's \"quoted\"","ctl":"tab\there"}})";
  const auto yaml = json_to_yaml(json);
  REQUIRE(yaml);
  const auto back = k8s::yaml_to_json(*yaml);
  REQUIRE(back);
  CHECK(boost::json::parse(*back) == boost::json::parse(json));
}
