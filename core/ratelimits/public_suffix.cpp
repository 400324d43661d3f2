// The Public Suffix List: reading the .dat file (Unicode rules turned into
// A-labels by RFC 3492's encoder) and finding a name's registered domain.
#include "core/ratelimits/public_suffix.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <limits>
#include <sstream>

#include "core/pki/names.hpp"

namespace certmill::ratelimits {
namespace {

// RFC 3492 §5's parameters for Punycode.
constexpr std::uint32_t kBase = 36;
constexpr std::uint32_t kTMin = 1;
constexpr std::uint32_t kTMax = 26;
constexpr std::uint32_t kSkew = 38;
constexpr std::uint32_t kDamp = 700;
constexpr std::uint32_t kInitialBias = 72;
constexpr std::uint32_t kInitialN = 0x80;
constexpr std::uint32_t kMax = std::numeric_limits<std::uint32_t>::max();

char digit(std::uint32_t d) {
  return static_cast<char>(d < 26 ? 'a' + d : '0' + (d - 26));
}

// RFC 3492 §6.1: the bias after a code point, so that the next deltas are
// written in few digits.
std::uint32_t adapt(std::uint32_t delta, std::uint32_t points, bool first) {
  delta = first ? delta / kDamp : delta / 2;
  delta += delta / points;
  std::uint32_t k = 0;
  while (delta > ((kBase - kTMin) * kTMax) / 2) {
    delta /= kBase - kTMin;
    k += kBase;
  }
  return k + (kBase - kTMin + 1) * delta / (delta + kSkew);
}

// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
std::optional<std::u32string> decode_utf8(std::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    char32_t c = 0;
    if (lead < 0x80) {
      length = 1;
      c = lead;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
      c = lead & 0x1Fu;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      c = lead & 0x0Fu;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      c = lead & 0x07u;
    } else {
      return std::nullopt;
    }
    if (i + length > text.size())
      return std::nullopt;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0u) != 0x80u)
        return std::nullopt;
      c = (c << 6) | (next & 0x3Fu);
    }
    const char32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (c < least[length] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
      return std::nullopt;
    out.push_back(c);
    i += length;
  }
  return out;
}

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool ascii(std::string_view text) {
  for (const char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80)
      return false;
  }
  return true;
}

// Where the suffixes of `name` start, from the shortest: "a.b.c" -> 4 ("c"),
// 2 ("b.c"), 0 ("a.b.c"). Only the 128 shortest are kept: a DNS name has at
// most 127 labels, and no rule has nearly as many.
struct Suffixes {
  std::array<std::size_t, 128> start{};
  std::size_t count = 0;

  explicit Suffixes(std::string_view name) {
    for (std::size_t end = name.size(); count < start.size();) {
      const auto dot = end == 0 ? std::string_view::npos : name.rfind('.', end - 1);
      if (dot == std::string_view::npos) {
        start[count++] = 0;
        return;
      }
      start[count++] = dot + 1;
      end = dot;
    }
  }
};

}  // namespace

std::optional<std::string> punycode_encode(std::u32string_view input) {
  std::string out;
  for (const char32_t c : input) {
    if (c > 0x10FFFF)
      return std::nullopt;
    if (c < 0x80)
      out.push_back(static_cast<char>(c));
  }
  const auto basic = static_cast<std::uint32_t>(out.size());
  if (input.size() >= kMax)
    return std::nullopt;
  const auto length = static_cast<std::uint32_t>(input.size());
  if (basic > 0)
    out.push_back('-');
  std::uint32_t n = kInitialN;
  std::uint32_t delta = 0;
  std::uint32_t bias = kInitialBias;
  for (std::uint32_t handled = basic; handled < length;) {
    std::uint32_t m = kMax;
    for (const char32_t c : input) {
      if (c >= n && c < m)
        m = c;
    }
    if (m - n > (kMax - delta) / (handled + 1))
      return std::nullopt;
    delta += (m - n) * (handled + 1);
    n = m;
    for (const char32_t c : input) {
      if (c < n && ++delta == 0)
        return std::nullopt;
      if (c != n)
        continue;
      std::uint32_t q = delta;
      for (std::uint32_t k = kBase;; k += kBase) {
        const std::uint32_t t = k <= bias ? kTMin : k >= bias + kTMax ? kTMax : k - bias;
        if (q < t)
          break;
        out.push_back(digit(t + (q - t) % (kBase - t)));
        q = (q - t) / (kBase - t);
      }
      out.push_back(digit(q));
      bias = adapt(delta, handled + 1, handled == basic);
      delta = 0;
      ++handled;
    }
    ++delta;
    ++n;
  }
  return out;
}

std::optional<std::string> to_a_labels(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (std::size_t begin = 0;;) {
    const auto dot = name.find('.', begin);
    const std::string_view label =
        name.substr(begin, dot == std::string_view::npos ? std::string_view::npos : dot - begin);
    if (ascii(label)) {
      for (const char c : label)
        out.push_back(lower(c));
    } else {
      auto points = decode_utf8(label);
      if (!points)
        return std::nullopt;
      for (char32_t& c : *points) {
        if (c >= 'A' && c <= 'Z')
          c = c - 'A' + 'a';
      }
      auto encoded = punycode_encode(*points);
      if (!encoded)
        return std::nullopt;
      out += "xn--" + *encoded;
    }
    if (dot == std::string_view::npos)
      return out;
    out.push_back('.');
    begin = dot + 1;
  }
}

void PublicSuffixList::add(std::string_view rule) {
  Set* set = &normal_;
  if (rule.starts_with('!')) {
    set = &exceptions_;
    rule.remove_prefix(1);
  } else if (rule.starts_with("*.")) {
    set = &wildcards_;
    rule.remove_prefix(2);
  }
  if (rule.empty() || rule == "*")
    return;
  auto labels = to_a_labels(rule);
  if (!labels)
    return;
  if (set->insert(std::move(*labels)).second)
    ++rules_;
}

PublicSuffixList PublicSuffixList::parse(std::string_view text) {
  PublicSuffixList list;
  while (!text.empty()) {
    const auto newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string_view::npos)
      continue;
    line.remove_prefix(first);
    if (line.starts_with("//"))
      continue;
    list.add(line.substr(0, line.find_first_of(" \t\r")));
  }
  return list;
}

Result<PublicSuffixList> PublicSuffixList::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in || text.str().empty())
    return Error(Errc::invalid_argument, "cannot read the Public Suffix List \"" + path +
                                             "\"; Debian's package `publicsuffix` provides " +
                                             kDebianPath + " (tools/install-deps installs it)");
  auto list = parse(text.str());
  if (list.rules() == 0)
    return Error(Errc::invalid_value,
                 "\"" + path + "\" holds no Public Suffix List rules; Debian's package " +
                     "`publicsuffix` provides " + kDebianPath);
  return list;
}

std::string_view PublicSuffixList::public_suffix(std::string_view name) const {
  const Suffixes suffixes(name);
  const auto suffix = [&](std::size_t i) { return name.substr(suffixes.start[i]); };
  // An exception rule prevails over every other; its public suffix is the
  // rule without its leftmost label.
  for (std::size_t i = suffixes.count; i-- > 0;) {
    if (exceptions_.find(suffix(i)) != exceptions_.end())
      return i > 0 ? suffix(i - 1) : std::string_view();
  }
  // Else the matching rule with the most labels: the longest suffix that a
  // rule names, or that a wildcard rule names the parent of.
  for (std::size_t i = suffixes.count; i-- > 0;) {
    if (normal_.find(suffix(i)) != normal_.end() ||
        (i > 0 && wildcards_.find(suffix(i - 1)) != wildcards_.end()))
      return suffix(i);
  }
  // The default rule "*": the last label.
  return suffix(0);
}

std::string PublicSuffixList::registered_domain(std::string_view type,
                                                std::string_view value) const {
  if (type == "ip") {
    auto raw = pki::parse_ip(value);
    if (!raw) {
      std::string out(value);
      for (char& c : out)
        c = lower(c);
      return out;
    }
    if (raw->size() == 4)
      return pki::format_ip(*raw);
    std::fill(raw->begin() + 8, raw->end(), '\0');
    return pki::format_ip(*raw) + "/64";
  }
  std::string name(value);
  for (char& c : name)
    c = lower(c);
  while (!name.empty() && name.back() == '.')
    name.pop_back();
  if (type != "dns")
    return name;
  if (name.starts_with("*."))
    name.erase(0, 2);
  // Not a DNS name (empty, or an empty label): counted as it is.
  if (name.empty() || name.front() == '.' || name.find("..") != std::string::npos)
    return name;
  const std::string_view suffix = public_suffix(name);
  if (suffix.size() >= name.size())
    return name;
  // The label left of the public suffix, with it.
  const std::size_t end = name.size() - suffix.size() - (suffix.empty() ? 0 : 1);
  const auto dot = name.rfind('.', end == 0 ? 0 : end - 1);
  if (dot == std::string::npos || dot >= end)
    return name;
  name.erase(0, dot + 1);
  return name;
}

}  // namespace certmill::ratelimits
