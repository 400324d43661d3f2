// base64url as a translation of core/base64's standard alphabet: the two
// encodings differ only in two characters and the padding.
#include "core/acme/base64url.hpp"

#include "core/base64.hpp"

namespace certmill::acme {
namespace {

bool url_safe(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

}  // namespace

std::string base64url_encode(std::string_view bytes) {
  std::string out = base64_encode(bytes);
  while (!out.empty() && out.back() == '=')
    out.pop_back();
  for (char& c : out) {
    if (c == '+')
      c = '-';
    else if (c == '/')
      c = '_';
  }
  return out;
}

Result<std::string> base64url_decode(std::string_view text) {
  std::string standard;
  standard.reserve(text.size() + 2);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (!url_safe(c)) {
      return Error(Errc::invalid_value, "invalid base64url: unexpected character at offset " +
                                            std::to_string(i) +
                                            (c == '=' ? " (padding is not allowed)" : ""));
    }
    standard.push_back(c == '-' ? '+' : c == '_' ? '/' : c);
  }
  // One leftover character carries only 6 bits: no byte string encodes to it.
  if (standard.size() % 4 == 1) {
    return Error(Errc::invalid_value,
                 "invalid base64url: length " + std::to_string(text.size()) + " is impossible");
  }
  while (standard.size() % 4 != 0)
    standard.push_back('=');
  return base64_decode(standard);
}

bool is_base64url(std::string_view text) noexcept {
  if (text.empty())
    return false;
  for (char c : text) {
    if (!url_safe(c))
      return false;
  }
  return true;
}

}  // namespace certmill::acme
