// One HTTP header as sent or received, and lookups by name: header names are
// case-insensitive (RFC 9110 §5.1), and some (Link) come more than once.
#pragma once

#include <algorithm>
#include <cctype>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace certmill::reactor {

struct HttpHeader {
  std::string name;
  std::string value;
};

inline bool same_header_name(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

// The first header of that name, or empty.
inline std::string_view find_header(std::span<const HttpHeader> headers, std::string_view name) {
  const auto it = std::ranges::find_if(
      headers, [&](const HttpHeader& header) { return same_header_name(header.name, name); });
  return it == headers.end() ? std::string_view() : std::string_view(it->value);
}

// Every header of that name, in order.
inline std::vector<std::string> find_headers(std::span<const HttpHeader> headers,
                                             std::string_view name) {
  std::vector<std::string> values;
  for (const HttpHeader& header : headers) {
    if (same_header_name(header.name, name))
      values.push_back(header.value);
  }
  return values;
}

}  // namespace certmill::reactor
