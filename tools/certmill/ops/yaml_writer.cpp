// A minimal YAML emitter: block mappings and sequences, plain scalars where
// they read back as the same string, JSON's double quotes where not.
#include "tools/certmill/ops/yaml_writer.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace certmill::ops {

namespace json = boost::json;

namespace {

bool looks_like_number(std::string_view s) {
  std::size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  bool digit = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c >= '0' && c <= '9')
      digit = true;
    else if (c != '.' && c != 'e' && c != 'E' && c != '-' && c != '+' && c != '_' && c != 'x' &&
             c != 'o')
      return false;
  }
  return digit || s == ".inf" || s == ".nan";
}

// Whether `s` may be written plain and read back as this same string.
bool plain_safe(std::string_view s) {
  // A leading digit is quoted too: YAML 1.1 readers take "2026-01-01T00:00:00Z"
  // for a timestamp and "1:30" for a number, as Go's yaml (kubectl) knows.
  if (s.empty() || s.front() == ' ' || s.back() == ' ' || (s.front() >= '0' && s.front() <= '9') ||
      looks_like_number(s))
    return false;
  static constexpr std::string_view kReserved[] = {
      "null", "Null", "NULL", "~",  "true", "True", "TRUE", "false", "False", "FALSE",
      "yes",  "Yes",  "no",   "No", "on",   "On",   "off",  "Off",   "y",     "n"};
  for (auto r : kReserved) {
    if (s == r)
      return false;
  }
  if (std::string_view("-?:,[]{}#&*!|>'\"%@`").find(s.front()) != std::string_view::npos)
    return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f)
      return false;
    if (s[i] == ':' && (i + 1 == s.size() || s[i + 1] == ' '))
      return false;
    if (s[i] == '#' && i > 0 && s[i - 1] == ' ')
      return false;
  }
  return true;
}

std::string scalar(const json::value& v) {
  if (v.is_string()) {
    const std::string_view s = v.get_string();
    return plain_safe(s) ? std::string(s) : json::serialize(v);
  }
  return json::serialize(v);  // numbers, true, false, null
}

bool is_block(const json::value& v) {
  return (v.is_object() && !v.get_object().empty()) || (v.is_array() && !v.get_array().empty());
}

std::string inline_value(const json::value& v) {
  if (v.is_object())
    return "{}";
  if (v.is_array())
    return "[]";
  return scalar(v);
}

void write_block(const json::value& v, std::size_t indent, std::string& out);

// A mapping's entries; `first_prefix` replaces the indentation of the first
// line (a sequence item's "- ").
void write_object(const json::object& o, std::size_t indent, std::string& out,
                  std::string_view first_prefix) {
  bool first = true;
  for (const auto& [key, value] : o) {
    out += first && !first_prefix.empty() ? std::string(first_prefix) : std::string(indent, ' ');
    first = false;
    out += scalar(json::value(key)) + ":";
    if (is_block(value)) {
      out += "\n";
      write_block(value, value.is_object() ? indent + 2 : indent, out);
    } else {
      out += " " + inline_value(value) + "\n";
    }
  }
}

void write_block(const json::value& v, std::size_t indent, std::string& out) {
  if (v.is_object()) {
    write_object(v.get_object(), indent, out, {});
    return;
  }
  for (const auto& item : v.get_array()) {
    const std::string dash = std::string(indent, ' ') + "- ";
    if (item.is_object() && is_block(item)) {
      write_object(item.get_object(), indent + 2, out, dash);
    } else if (item.is_array() && is_block(item)) {
      out += dash.substr(0, dash.size() - 1) + "\n";
      write_block(item, indent + 2, out);
    } else {
      out += dash + inline_value(item) + "\n";
    }
  }
}

}  // namespace

std::string to_yaml(const json::value& value) {
  if (!is_block(value))
    return inline_value(value) + "\n";
  std::string out;
  write_block(value, 0, out);
  return out;
}

Result<std::string> json_to_yaml(std::string_view text) {
  boost::system::error_code ec;
  const json::value value = json::parse(text, ec);
  if (ec)
    return Error(Errc::invalid_json, "not JSON: " + ec.message());
  return to_yaml(value);
}

}  // namespace certmill::ops
