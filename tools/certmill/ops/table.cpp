// kubectl's table layout and durations (k8s.io/apimachinery's HumanDuration).
#include "tools/certmill/ops/table.hpp"

#include <algorithm>

namespace certmill::ops {

namespace {

std::size_t display_width(const std::string& s) {
  // Continuation bytes (10xxxxxx) take no column of their own.
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

void append_row(std::string& out, const Row& row, const std::vector<std::size_t>& widths) {
  std::string line;
  for (std::size_t i = 0; i < row.size(); ++i) {
    line += row[i];
    if (i + 1 < row.size())
      line.append(widths[i] - display_width(row[i]) + 3, ' ');
  }
  while (!line.empty() && line.back() == ' ')
    line.pop_back();
  out += line + "\n";
}

}  // namespace

std::string format_table(const Row& header, const std::vector<Row>& rows) {
  std::vector<std::size_t> widths(header.size(), 0);
  for (std::size_t i = 0; i < header.size(); ++i)
    widths[i] = display_width(header[i]);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i)
      widths[i] = std::max(widths[i], display_width(row[i]));
  }
  std::string out;
  append_row(out, header, widths);
  for (const auto& row : rows)
    append_row(out, row, widths);
  return out;
}

std::string human_duration(std::chrono::seconds d) {
  const long long seconds = d.count();
  if (seconds < -1)
    return "<invalid>";
  if (seconds < 0)
    return "0s";
  if (seconds < 60 * 2)
    return std::to_string(seconds) + "s";
  const long long minutes = seconds / 60;
  if (minutes < 10) {
    const long long s = seconds % 60;
    return std::to_string(minutes) + "m" + (s == 0 ? "" : std::to_string(s) + "s");
  }
  if (minutes < 60 * 3)
    return std::to_string(minutes) + "m";
  const long long hours = minutes / 60;
  if (hours < 8) {
    const long long m = minutes % 60;
    return std::to_string(hours) + "h" + (m == 0 ? "" : std::to_string(m) + "m");
  }
  if (hours < 48)
    return std::to_string(hours) + "h";
  if (hours < 24 * 8) {
    const long long h = hours % 24;
    return std::to_string(hours / 24) + "d" + (h == 0 ? "" : std::to_string(h) + "h");
  }
  if (hours < 24 * 365 * 2)
    return std::to_string(hours / 24) + "d";
  if (hours < 24 * 365 * 8) {
    const long long days = (hours / 24) % 365;
    return std::to_string(hours / 24 / 365) + "y" + (days == 0 ? "" : std::to_string(days) + "d");
  }
  return std::to_string(hours / 24 / 365) + "y";
}

std::string relative_time(Time t, Time now) {
  if (t >= now)
    return "in " + human_duration(t - now);
  return human_duration(now - t) + " ago";
}

}  // namespace certmill::ops
