// Structured logs: one line per record, human-readable by default or JSON
// (`--log-format=json`). Core only filters and formats; a record goes to the
// process's sink, which reactor/log_sink.hpp installs (stderr, one write per
// line, stamped with the system clock). Never pass key material as a field.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

namespace certmill::log {

enum class Level { debug, info, warn, error };
enum class Format { text, json };

// One `key=value` pair of a record.
struct Field {
  Field(std::string_view k, std::string_view v) : key(k), value(v) {}
  Field(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, bool v) : key(k), value(v) {}
  Field(std::string_view k, double v) : key(k), value(v) {}
  template <class I>
  requires std::is_integral_v<I> Field(std::string_view k, I v)
      : key(k), value(static_cast<int64_t>(v)) {}

  std::string_view key;
  std::variant<std::string_view, int64_t, double, bool> value;
};

// Set once at start-up, before other threads log.
void configure(Level min_level, Format format);
bool enabled(Level level);
Format format();

// Where records go; none (the default) drops them.
using Sink = void (*)(Level level, std::string_view message, std::initializer_list<Field> fields);
void set_sink(Sink sink);
Sink sink();

std::string format_record(Format format, Level level, std::string_view timestamp,
                          std::string_view message, std::initializer_list<Field> fields);
void write(Level level, std::string_view message, std::initializer_list<Field> fields = {});

inline void debug(std::string_view m, std::initializer_list<Field> f = {}) {
  if (enabled(Level::debug))
    write(Level::debug, m, f);
}
inline void info(std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::info, m, f);
}
inline void warn(std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::warn, m, f);
}
inline void error(std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::error, m, f);
}

}  // namespace certmill::log
