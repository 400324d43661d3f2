// Reading recorded HTTP responses of the Kubernetes API server (tests/core/
// kube-api/): the body of a response, and the lines of a watch stream.
#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace certmill::test {

// Undoes chunked transfer coding; nullopt when `body` is not chunk-framed.
inline std::optional<std::string> dechunk(std::string_view body) {
  std::string out;
  while (true) {
    const std::size_t eol = body.find("\r\n");
    if (eol == std::string_view::npos || eol == 0)
      return std::nullopt;
    std::size_t size = 0;
    for (const char c : body.substr(0, body.find_first_of(";\r"))) {
      const int digit = c >= '0' && c <= '9'   ? c - '0'
                        : c >= 'a' && c <= 'f' ? c - 'a' + 10
                        : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                               : -1;
      if (digit < 0 || size > (std::size_t{1} << 40))
        return std::nullopt;
      size = size * 16 + static_cast<std::size_t>(digit);
    }
    body.remove_prefix(eol + 2);
    if (size == 0)
      return out;
    if (body.size() < size + 2 || body.substr(size, 2) != "\r\n")
      return std::nullopt;
    out.append(body.substr(0, size));
    body.remove_prefix(size + 2);
  }
}

// The body of a recorded response. The recorder may have stored a chunked
// body already decoded, so framing is undone only where it is present.
inline std::string response_body(std::string_view response) {
  std::size_t end = response.find("\r\n\r\n");
  std::size_t skip = 4;
  if (end == std::string_view::npos) {
    end = response.find("\n\n");
    skip = 2;
  }
  if (end == std::string_view::npos)
    throw std::runtime_error("recorded response has no end of headers");
  const std::string_view body = response.substr(end + skip);
  if (auto plain = dechunk(body))
    return *plain;
  return std::string(body);
}

// A watch body holds one JSON event per line.
inline std::vector<std::string> body_lines(std::string_view response) {
  const std::string body = response_body(response);
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < body.size()) {
    std::size_t end = body.find('\n', start);
    if (end == std::string::npos)
      end = body.size();
    std::string line = body.substr(start, end - start);
    if (!line.empty() && line.back() == '\r')
      line.pop_back();
    if (!line.empty())
      lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

}  // namespace certmill::test
