// JsonWriter's escaping follows RFC 8259: quote, backslash and control
// characters are escaped; valid UTF-8 is copied. A byte that is not part of
// valid UTF-8 becomes U+FFFD, as Go's encoding/json writes it: text from
// outside (a CA's nonce or URL, a certificate's subject) must never make the
// document invalid, which a parser (the API server, a CA) would refuse.
#include "core/json/writer.hpp"

namespace certmill::json {

namespace {

// The length of the valid UTF-8 sequence at the start of `rest` (RFC 3629:
// no overlong forms, no surrogates, nothing past U+10FFFF), 0 when invalid.
std::size_t utf8_sequence(std::string_view rest) {
  const auto b = [&](std::size_t i) { return static_cast<unsigned char>(rest[i]); };
  const auto continuation = [&](std::size_t i) { return i < rest.size() && (b(i) & 0xC0) == 0x80; };
  const unsigned char lead = b(0);
  if (lead >= 0xC2 && lead <= 0xDF)
    return continuation(1) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    if (!continuation(1) || !continuation(2))
      return 0;
    if ((lead == 0xE0 && b(1) < 0xA0) || (lead == 0xED && b(1) > 0x9F))
      return 0;
    return 3;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    if (!continuation(1) || !continuation(2) || !continuation(3))
      return 0;
    if ((lead == 0xF0 && b(1) < 0x90) || (lead == 0xF4 && b(1) > 0x8F))
      return 0;
    return 4;
  }
  return 0;
}

}  // namespace

void append_quoted(std::string& out, std::string_view value) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (static_cast<unsigned char>(c) >= 0x80) {
      if (const std::size_t n = utf8_sequence(value.substr(i)); n > 0) {
        out.append(value.substr(i, n));
        i += n - 1;
      } else {
        out += "\\ufffd";
      }
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\\u00";
          out.push_back(kHex[(c >> 4) & 0xF]);
          out.push_back(kHex[c & 0xF]);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

void JsonWriter::separate() {
  if (need_comma_)
    out_.push_back(',');
}

void JsonWriter::open(char c) {
  separate();
  out_.push_back(c);
  need_comma_ = false;
}

void JsonWriter::close(char c) {
  out_.push_back(c);
  need_comma_ = true;
}

void JsonWriter::key(std::string_view name) {
  separate();
  append_quoted(out_, name);
  out_.push_back(':');
  need_comma_ = false;
}

void JsonWriter::string(std::string_view value) {
  separate();
  append_quoted(out_, value);
  need_comma_ = true;
}

void JsonWriter::number(int64_t value) {
  separate();
  out_ += std::to_string(value);
  need_comma_ = true;
}

void JsonWriter::boolean(bool value) {
  separate();
  out_ += value ? "true" : "false";
  need_comma_ = true;
}

void JsonWriter::null() {
  separate();
  out_ += "null";
  need_comma_ = true;
}

void JsonWriter::raw(std::string_view json) {
  separate();
  out_ += json;
  need_comma_ = true;
}

}  // namespace certmill::json
