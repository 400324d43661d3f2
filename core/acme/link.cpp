// Hand-written scanners for Link and Retry-After: both headers come from the
// network, so every step checks its bounds and a malformed part is skipped or
// reported as absent, never guessed at.
#include "core/acme/link.hpp"

#include <algorithm>
#include <array>

namespace certmill::acme {
namespace {

using namespace std::chrono;

constexpr seconds kMaxWait = hours(24 * 36525);  // 100 years

bool is_ows(char c) noexcept {
  return c == ' ' || c == '\t';
}

char lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return lower(x) == lower(y); });
}

// RFC 9110 §5.6.2 tchar.
bool is_tchar(char c) noexcept {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
    return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && is_ows(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back()))
    s.remove_suffix(1);
  return s;
}

// A cursor over one header value.
class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}
  bool done() const noexcept { return i_ >= s_.size(); }
  char peek() const noexcept { return done() ? '\0' : s_[i_]; }
  void skip_ows() noexcept {
    while (!done() && is_ows(s_[i_]))
      ++i_;
  }
  bool eat(char c) noexcept {
    if (peek() != c)
      return false;
    ++i_;
    return true;
  }
  std::string_view token() noexcept {
    const std::size_t start = i_;
    while (!done() && is_tchar(s_[i_]))
      ++i_;
    return s_.substr(start, i_ - start);
  }
  // Up to (not including) `end`; false when `end` never comes.
  bool until(char end, std::string_view& out) noexcept {
    const std::size_t pos = s_.find(end, i_);
    if (pos == std::string_view::npos)
      return false;
    out = s_.substr(i_, pos - i_);
    i_ = pos + 1;
    return true;
  }
  // A quoted-string after its opening quote, with quoted-pairs unescaped.
  bool quoted(std::string& out) {
    while (!done()) {
      const char c = s_[i_++];
      if (c == '"')
        return true;
      if (c == '\\') {
        if (done())
          return false;
        out.push_back(s_[i_++]);
      } else {
        out.push_back(c);
      }
    }
    return false;
  }
  // Recovery after a malformed link: the next top-level comma, stepping over
  // quoted strings and <...> so a comma inside them does not count.
  void skip_to_next_link() noexcept {
    bool in_quotes = false;
    bool in_target = false;
    while (!done()) {
      const char c = s_[i_++];
      if (in_quotes) {
        if (c == '\\' && !done())
          ++i_;
        else if (c == '"')
          in_quotes = false;
      } else if (in_target) {
        in_target = c != '>';
      } else if (c == '"') {
        in_quotes = true;
      } else if (c == '<') {
        in_target = true;
      } else if (c == ',') {
        return;
      }
    }
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

bool rel_matches(std::string_view rel_value, std::string_view rel) {
  // rel is a space-separated list of relation types (RFC 8288 §3.3).
  while (!rel_value.empty()) {
    const std::size_t space = rel_value.find_first_of(" \t");
    const std::string_view one = rel_value.substr(0, space);
    if (!one.empty() && iequals(one, rel))
      return true;
    if (space == std::string_view::npos)
      break;
    rel_value.remove_prefix(space + 1);
  }
  return false;
}

// One link-value at the cursor; false when it is malformed.
bool read_link(Scanner& in, std::string_view& target, std::optional<std::string>& rel_value) {
  in.skip_ows();
  if (!in.eat('<') || !in.until('>', target))
    return false;
  while (true) {
    in.skip_ows();
    if (in.done() || in.peek() == ',')
      return true;
    if (!in.eat(';'))
      return false;
    in.skip_ows();
    const std::string_view name = in.token();
    if (name.empty())
      return false;
    in.skip_ows();
    std::string value;
    if (in.eat('=')) {
      in.skip_ows();
      if (in.eat('"')) {
        if (!in.quoted(value))
          return false;
      } else {
        value = std::string(in.token());
      }
    }
    // Only the first rel counts (RFC 8288 §3.3).
    if (iequals(name, "rel") && !rel_value)
      rel_value = std::move(value);
  }
}

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) noexcept {
  if (pos + n > s.size())
    return false;
  out = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const char c = s[pos + i];
    if (c < '0' || c > '9')
      return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

int month_of(std::string_view name) noexcept {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (kMonths[i] == name)
      return static_cast<int>(i) + 1;
  }
  return 0;
}

bool is_day_name(std::string_view name, bool full) noexcept {
  static constexpr std::array<std::string_view, 7> kShort = {"Mon", "Tue", "Wed", "Thu",
                                                             "Fri", "Sat", "Sun"};
  static constexpr std::array<std::string_view, 7> kLong = {
      "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
  const auto& names = full ? kLong : kShort;
  return std::find(names.begin(), names.end(), name) != names.end();
}

// "hh:mm:ss" at `pos`.
bool clock(std::string_view s, std::size_t pos, int& h, int& m, int& sec) noexcept {
  return digits(s, pos, 2, h) && pos + 2 < s.size() && s[pos + 2] == ':' &&
         digits(s, pos + 3, 2, m) && pos + 5 < s.size() && s[pos + 5] == ':' &&
         digits(s, pos + 6, 2, sec);
}

std::optional<Time> make_time(int y, int mo, int d, int h, int mi, int s) {
  const year_month_day ymd{year(y), month(static_cast<unsigned>(mo)),
                           day(static_cast<unsigned>(d))};
  // 60 allows a leap second; it lands on the next minute's first second.
  if (!ymd.ok() || h > 23 || mi > 59 || s > 60)
    return std::nullopt;
  return Time(sys_days(ymd)) + hours(h) + minutes(mi) + seconds(s);
}

}  // namespace

std::vector<std::string> link_targets(std::string_view header_value, std::string_view rel) {
  std::vector<std::string> out;
  Scanner in(header_value);
  while (true) {
    in.skip_ows();
    while (in.eat(',') || in.eat(' ') || in.eat('\t')) {
    }
    if (in.done())
      break;
    std::string_view target;
    std::optional<std::string> rel_value;
    if (!read_link(in, target, rel_value)) {
      in.skip_to_next_link();
      continue;
    }
    if (rel_value && rel_matches(*rel_value, rel))
      out.emplace_back(trim(target));
  }
  return out;
}

std::vector<std::string> link_targets(const std::vector<std::string>& header_values,
                                      std::string_view rel) {
  std::vector<std::string> out;
  for (const std::string& value : header_values) {
    auto targets = link_targets(value, rel);
    out.insert(out.end(), std::make_move_iterator(targets.begin()),
               std::make_move_iterator(targets.end()));
  }
  return out;
}

std::optional<Time> parse_http_date(std::string_view s) {
  s = trim(s);
  int y = 0, d = 0, h = 0, mi = 0, sec = 0;
  const std::size_t comma = s.find(',');
  if (comma == 3 && is_day_name(s.substr(0, 3), false)) {
    // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
    if (s.size() != 29 || s[4] != ' ' || !digits(s, 5, 2, d) || s[7] != ' ' || s[11] != ' ' ||
        !digits(s, 12, 4, y) || s[16] != ' ' || !clock(s, 17, h, mi, sec) ||
        s.substr(25) != " GMT") {
      return std::nullopt;
    }
    return make_time(y, month_of(s.substr(8, 3)), d, h, mi, sec);
  }
  if (comma != std::string_view::npos) {
    // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"
    if (!is_day_name(s.substr(0, comma), true))
      return std::nullopt;
    const std::string_view rest = s.substr(comma + 1);
    if (rest.size() != 23 || rest[0] != ' ' || !digits(rest, 1, 2, d) || rest[3] != '-' ||
        rest[7] != '-' || !digits(rest, 8, 2, y) || rest[10] != ' ' ||
        !clock(rest, 11, h, mi, sec) || rest.substr(19) != " GMT") {
      return std::nullopt;
    }
    // Two-digit years: RFC 9110 maps them into the 50 years around now; a
    // fixed pivot is as good for a header that should not use this form.
    y += y < 70 ? 2000 : 1900;
    return make_time(y, month_of(rest.substr(4, 3)), d, h, mi, sec);
  }
  // asctime: "Sun Nov  6 08:49:37 1994"
  if (s.size() != 24 || !is_day_name(s.substr(0, 3), false) || s[3] != ' ' || s[7] != ' ' ||
      s[10] != ' ' || !clock(s, 11, h, mi, sec) || s[19] != ' ' || !digits(s, 20, 4, y)) {
    return std::nullopt;
  }
  if (s[8] == ' ') {
    if (!digits(s, 9, 1, d))
      return std::nullopt;
  } else if (!digits(s, 8, 2, d)) {
    return std::nullopt;
  }
  return make_time(y, month_of(s.substr(4, 3)), d, h, mi, sec);
}

std::optional<seconds> parse_retry_after(std::string_view value, Time now) {
  value = trim(value);
  if (value.empty())
    return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    seconds::rep n = 0;
    for (char c : value) {
      n = n * 10 + (c - '0');
      if (n >= kMaxWait.count())
        return kMaxWait;
    }
    return seconds(n);
  }
  const auto date = parse_http_date(value);
  if (!date)
    return std::nullopt;
  if (*date <= now)
    return seconds(0);
  return std::min(duration_cast<seconds>(*date - now), kMaxWait);
}

}  // namespace certmill::acme
