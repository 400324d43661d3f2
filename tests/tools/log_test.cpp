// Log records in both formats: one line each, values quoted when needed.
#include "core/log.hpp"

#include <vector>

#include <catch2/catch.hpp>

#include "reactor/log_sink.hpp"

using namespace certmill;

TEST_CASE("text records read as timestamp, level, message and key=value pairs") {
  const std::string line = log::format_record(log::Format::text, log::Level::warn,
                                              "2026-11-23T12:00:00.123Z", "renewal failed",
                                              {{"certificate", "default/web"},
                                               {"attempt", 3},
                                               {"reason", "rate limited by CA"},
                                               {"ready", false}});
  CHECK(line ==
        "2026-11-23T12:00:00.123Z WARN  renewal failed certificate=default/web attempt=3 "
        "reason=\"rate limited by CA\" ready=false\n");
}

TEST_CASE("json records are one JSON object per line") {
  const std::string line = log::format_record(
      log::Format::json, log::Level::info, "2026-11-23T12:00:00.123Z", "issued \"web\"",
      {{"shard", 1u}, {"seconds", 0.25}, {"message", "line\nbreak"}});
  CHECK(line ==
        "{\"ts\":\"2026-11-23T12:00:00.123Z\",\"level\":\"info\",\"msg\":\"issued \\\"web\\\"\","
        "\"shard\":1,\"seconds\":0.25,\"message\":\"line\\nbreak\"}\n");
}

TEST_CASE("the level filter and the sink decide what is written where") {
  std::vector<std::string> lines;
  reactor::capture_log([&](std::string_view l) { lines.emplace_back(l); });
  log::configure(log::Level::warn, log::Format::json);
  log::info("hidden");
  log::error("shown", {{"code", 7}});
  log::configure(log::Level::info, log::Format::text);
  reactor::capture_log({});
  REQUIRE(lines.size() == 1);
  CHECK_THAT(lines[0], Catch::Contains("\"level\":\"error\",\"msg\":\"shown\",\"code\":7}"));
}

TEST_CASE("without a sink, core drops records: it does no I/O of its own") {
  const log::Sink before = log::sink();
  static int seen = 0;
  log::set_sink(nullptr);
  log::error("dropped");
  // A sink of its own sees the next record: the count can see one.
  log::set_sink([](log::Level, std::string_view message, std::initializer_list<log::Field>) {
    if (message == "counted")
      ++seen;
  });
  log::error("counted");
  log::set_sink(before);
  CHECK(seen == 1);
}
