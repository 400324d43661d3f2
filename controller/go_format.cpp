// Go's time and slice formatting.
#include "controller/go_format.hpp"

#include <array>
#include <cstdio>

namespace certmill::controller {

namespace {

struct Fields {
  int year;
  unsigned month, day, weekday, hour, minute, second;
};

Fields fields(Time t) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd(day);
  const std::chrono::hh_mm_ss hms(t - day);
  return {int(ymd.year()),
          unsigned(ymd.month()),
          unsigned(ymd.day()),
          std::chrono::weekday(day).c_encoding(),
          unsigned(hms.hours().count()),
          unsigned(hms.minutes().count()),
          unsigned(hms.seconds().count())};
}

}  // namespace

std::string go_time_string(Time t) {
  const Fields f = fields(t);
  std::array<char, 64> buf{};
  std::snprintf(buf.data(), buf.size(), "%04d-%02u-%02u %02u:%02u:%02u +0000 UTC", f.year, f.month,
                f.day, f.hour, f.minute, f.second);
  return buf.data();
}

std::string go_rfc1123(Time t) {
  static constexpr const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const Fields f = fields(t);
  std::array<char, 64> buf{};
  std::snprintf(buf.data(), buf.size(), "%s, %02u %s %04d %02u:%02u:%02u UTC", days[f.weekday],
                f.day, months[f.month - 1], f.year, f.hour, f.minute, f.second);
  return buf.data();
}

std::string go_list(const std::vector<std::string>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0)
      out += ' ';
    out += values[i];
  }
  return out + "]";
}

std::string go_quoted(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (byte < 0x20 || byte == 0x7F) {
      char escaped[5];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace certmill::controller
