// TXT record sets as Route 53 holds them: the changes that add or take out a
// value, the presentation form of values (RFC 1035 §5.1 quoting with Route
// 53's octal escapes) and the comparison of names.
#include "solvers/dns/route53/txt_set.hpp"

#include <algorithm>

namespace certmill::solvers::route53 {
namespace {

// Route 53's escape of a byte, a backslash and three octal digits ("\052"
// for '*'), at `i`; false when there is none.
bool octal_escape(std::string_view s, std::size_t i, char& byte) {
  const auto octal = [&](std::size_t at, char max) { return s[at] >= '0' && s[at] <= max; };
  if (i + 3 >= s.size() || s[i] != '\\' || !octal(i + 1, '3') || !octal(i + 2, '7') ||
      !octal(i + 3, '7'))
    return false;
  byte = static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
  return true;
}

// Lowercase, \ooo decoded, no trailing dot.
std::string canonical_name(std::string_view name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (octal_escape(name, i, c))
      i += 3;
    out += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
  if (!out.empty() && out.back() == '.')
    out.pop_back();
  return out;
}

}  // namespace

std::optional<TxtChange> change_adding(std::string_view name,
                                       const std::optional<TxtRecordSet>& current,
                                       std::string_view value, std::uint32_t ttl) {
  TxtChange change{ChangeAction::upsert, std::string(name), {ttl, {}}};
  if (current) {
    if (std::find(current->values.begin(), current->values.end(), value) != current->values.end())
      return std::nullopt;
    change.set.values = current->values;
  }
  change.set.values.emplace_back(value);
  return change;
}

std::optional<TxtChange> change_removing(std::string_view name,
                                         const std::optional<TxtRecordSet>& current,
                                         std::string_view value) {
  if (!current ||
      std::find(current->values.begin(), current->values.end(), value) == current->values.end())
    return std::nullopt;
  TxtRecordSet rest{current->ttl, current->values};
  std::erase(rest.values, value);
  if (rest.values.empty())
    return TxtChange{ChangeAction::remove, std::string(name), *current};
  return TxtChange{ChangeAction::upsert, std::string(name), std::move(rest)};
}

std::string quote_txt(std::string_view value) {
  std::string out;
  do {
    const std::string_view part = value.substr(0, 255);
    value.remove_prefix(part.size());
    out += out.empty() ? "\"" : " \"";
    for (const char c : part) {
      const auto byte = static_cast<unsigned char>(c);
      if (c == '"' || c == '\\')
        out += {'\\', c};
      else if (byte < 0x20 || byte > 0x7E)
        out += {'\\', static_cast<char>('0' + (byte >> 6)),
                static_cast<char>('0' + ((byte >> 3) & 7)), static_cast<char>('0' + (byte & 7))};
      else
        out += c;
    }
    out += '"';
  } while (!value.empty());
  return out;
}

Result<std::string> unquote_txt(std::string_view text) {
  if (!text.starts_with('"'))
    return std::string(text);
  std::string out;
  std::size_t i = 0;
  for (;;) {
    while (i < text.size() && text[i] == ' ')
      ++i;
    if (i == text.size())
      return out;
    if (text[i] != '"')
      return Error(Errc::invalid_value,
                   "TXT value " + std::string(text) + ": text between strings");
    for (++i;; ++i) {
      if (i >= text.size())
        return Error(Errc::invalid_value, "TXT value " + std::string(text) + ": unterminated");
      if (text[i] == '"')
        break;
      char byte;
      if (octal_escape(text, i, byte)) {
        out += byte;
        i += 3;
      } else if (text[i] == '\\' && i + 1 < text.size()) {
        out += text[++i];
      } else {
        out += text[i];
      }
    }
    ++i;
  }
}

bool same_dns_name(std::string_view a, std::string_view b) {
  return canonical_name(a) == canonical_name(b);
}

}  // namespace certmill::solvers::route53
