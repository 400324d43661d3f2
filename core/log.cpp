// Log record formatting and the process-wide log settings; no I/O.
#include "core/log.hpp"

#include <atomic>
#include <charconv>

#include "core/json/writer.hpp"

namespace certmill::log {
namespace {

std::atomic<Level> g_level{Level::info};
std::atomic<Format> g_format{Format::text};
std::atomic<Sink> g_sink{nullptr};

constexpr std::string_view level_name(Level level) {
  switch (level) {
    case Level::debug:
      return "debug";
    case Level::info:
      return "info";
    case Level::warn:
      return "warn";
    case Level::error:
      return "error";
  }
  return "info";
}

std::string number_text(double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

// A text value is quoted when it would otherwise be ambiguous to read back.
void append_text_value(std::string& out, std::string_view v) {
  bool plain = !v.empty();
  for (const char c : v) {
    if (c == ' ' || c == '"' || c == '=' || static_cast<unsigned char>(c) < 0x20)
      plain = false;
  }
  if (plain) {
    out += v;
  } else {
    json::append_quoted(out, v);
  }
}

}  // namespace

void configure(Level min_level, Format format) {
  g_level = min_level;
  g_format = format;
}

Format format() {
  return g_format.load(std::memory_order_relaxed);
}

void set_sink(Sink sink) {
  g_sink.store(sink);
}

Sink sink() {
  return g_sink.load();
}

bool enabled(Level level) {
  return level >= g_level.load(std::memory_order_relaxed);
}

std::string format_record(Format format, Level level, std::string_view timestamp,
                          std::string_view message, std::initializer_list<Field> fields) {
  std::string out;
  if (format == Format::json) {
    json::JsonWriter w;
    w.begin_object();
    w.key("ts");
    w.string(timestamp);
    w.key("level");
    w.string(level_name(level));
    w.key("msg");
    w.string(message);
    for (const auto& f : fields) {
      w.key(f.key);
      if (auto* s = std::get_if<std::string_view>(&f.value))
        w.string(*s);
      if (auto* i = std::get_if<int64_t>(&f.value))
        w.number(*i);
      if (auto* d = std::get_if<double>(&f.value))
        w.raw(number_text(*d));
      if (auto* b = std::get_if<bool>(&f.value))
        w.boolean(*b);
    }
    w.end_object();
    out = w.take();
  } else {
    std::string upper(level_name(level));
    for (auto& c : upper)
      c = static_cast<char>(c - 'a' + 'A');
    upper.resize(5, ' ');
    out.append(timestamp).append(" ").append(upper).append(" ").append(message);
    for (const auto& f : fields) {
      out.append(" ").append(f.key).append("=");
      if (auto* s = std::get_if<std::string_view>(&f.value))
        append_text_value(out, *s);
      if (auto* i = std::get_if<int64_t>(&f.value))
        out += std::to_string(*i);
      if (auto* d = std::get_if<double>(&f.value))
        out += number_text(*d);
      if (auto* b = std::get_if<bool>(&f.value))
        out += *b ? "true" : "false";
    }
  }
  out.push_back('\n');
  return out;
}

void write(Level level, std::string_view message, std::initializer_list<Field> fields) {
  if (!enabled(level))
    return;
  if (Sink to = g_sink.load(std::memory_order_acquire))
    to(level, message, fields);
}

}  // namespace certmill::log
