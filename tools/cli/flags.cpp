// FlagSet parsing. Every error names the flag, says what was wrong, and points
// at --help; a mistyped flag gets the nearest known name as a suggestion.
#include "tools/cli/flags.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace certmill::cli {
namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

Error bad_value(std::string_view flag, std::string_view value, std::string_view expected) {
  return Error(Errc::invalid_argument, "--" + std::string(flag) + ": \"" + std::string(value) +
                                           "\" is not " + std::string(expected));
}

std::string format_number(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

}  // namespace

FlagSet::FlagSet(std::string command, std::string summary)
    : command_(std::move(command)), summary_(std::move(summary)) {}

void FlagSet::add_flag(Flag flag) {
  flags_.push_back(std::move(flag));
}

void FlagSet::add(std::string name, std::string* target, std::string help) {
  add_flag({name, std::move(help), *target, false, [target](std::string_view v) -> Status {
              target->assign(v);
              return {};
            }});
}

void FlagSet::add(std::string name, unsigned* target, std::string help) {
  add_flag({name, std::move(help), std::to_string(*target), false,
            [target, name](std::string_view v) -> Status {
              unsigned value = 0;
              const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
              if (ec != std::errc() || end != v.data() + v.size() || v.empty()) {
                return bad_value(name, v, "a whole number");
              }
              *target = value;
              return {};
            }});
}

void FlagSet::add(std::string name, double* target, std::string help) {
  add_flag({name, std::move(help), format_number(*target), false,
            [target, name](std::string_view v) -> Status {
              double value = 0;
              const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
              if (ec != std::errc() || end != v.data() + v.size() || v.empty() ||
                  !std::isfinite(value)) {
                return bad_value(name, v, "a number");
              }
              *target = value;
              return {};
            }});
}

void FlagSet::add(std::string name, bool* target, std::string help) {
  add_flag({name, std::move(help), *target ? "true" : "false", true,
            [target, name](std::string_view v) -> Status {
              // Go's strconv.ParseBool, which Kubernetes tools' flags use.
              if (v == "true" || v == "1" || v == "t" || v == "T" || v == "TRUE" || v == "True") {
                *target = true;
              } else if (v == "false" || v == "0" || v == "f" || v == "F" || v == "FALSE" ||
                         v == "False") {
                *target = false;
              } else {
                return bad_value(name, v, "true or false");
              }
              return {};
            }});
}

void FlagSet::add(std::string name, Duration* target, std::string help) {
  add_flag({name, std::move(help), format_duration(*target), false,
            [target, name](std::string_view v) -> Status {
              auto d = parse_duration(v);
              if (!d)
                return bad_value(name, v, "a duration such as 30s, 5m or 1h30m");
              *target = *d;
              return {};
            }});
}

void FlagSet::add(std::string name, std::vector<std::string>* target, std::string help) {
  add_flag(
      {name, std::move(help) + " (repeatable)", "", false, [target](std::string_view v) -> Status {
         target->emplace_back(v);
         return {};
       }});
}

void FlagSet::add_choice(std::string name, std::string* target, std::vector<std::string> allowed,
                         std::string help) {
  std::string list;
  for (const auto& a : allowed)
    list += (list.empty() ? "" : ", ") + a;
  add_flag({name, std::move(help) + " (" + list + ")", *target, false,
            [target, name, allowed, list](std::string_view v) -> Status {
              if (std::find(allowed.begin(), allowed.end(), v) == allowed.end()) {
                return bad_value(name, v, "one of " + list);
              }
              target->assign(v);
              return {};
            }});
}

void FlagSet::add_func(std::string name, std::function<Status(std::string_view)> set,
                       std::string help, std::string default_text, bool is_bool) {
  add_flag({std::move(name), std::move(help), std::move(default_text), is_bool, std::move(set)});
}

Status FlagSet::set(std::string_view name, std::string_view value) {
  const Flag* flag = find(name);
  if (flag == nullptr)
    return Error(Errc::invalid_argument, "unknown flag --" + std::string(name));
  return flag->set(value);
}

const FlagSet::Flag* FlagSet::find(std::string_view name) const {
  for (const auto& f : flags_) {
    if (f.name == name)
      return &f;
  }
  return nullptr;
}

std::string FlagSet::nearest(std::string_view name) const {
  std::string best;
  std::size_t best_distance = 3;  // suggest only near misses
  for (const auto& f : flags_) {
    const std::size_t d = edit_distance(name, f.name);
    if (d < best_distance) {
      best_distance = d;
      best = f.name;
    }
  }
  return best;
}

Result<ParseOutcome> FlagSet::parse(std::span<const std::string> args) {
  ParseOutcome out;
  const std::string see_help = "; run '" + command_ + " --help' for the list of flags";
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      out.help = true;
      continue;
    }
    if (arg == "--") {
      out.positional.insert(out.positional.end(), args.begin() + static_cast<long>(i) + 1,
                            args.end());
      break;
    }
    if (arg.size() < 2 || arg[0] != '-') {
      out.positional.push_back(arg);
      continue;
    }
    // Like Go's flag package, one dash works as well as two.
    std::string_view body = arg;
    body.remove_prefix(arg.rfind("--", 0) == 0 ? 2 : 1);
    const auto eq = body.find('=');
    const std::string_view name = body.substr(0, eq);
    const Flag* flag = find(name);
    if (flag == nullptr) {
      const std::string guess = nearest(name);
      return Error(Errc::invalid_argument,
                   "unknown flag --" + std::string(name) + " for '" + command_ + "'" +
                       (guess.empty() ? "" : " (did you mean --" + guess + "?)") + see_help);
    }
    std::string value;
    if (eq != std::string_view::npos) {
      value = body.substr(eq + 1);
    } else if (flag->is_bool) {
      value = "true";
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return Error(Errc::invalid_argument,
                   "flag --" + std::string(name) + " needs a value" + see_help);
    }
    if (Status s = flag->set(value); !s)
      return Error(Errc::invalid_argument, s.error().message() + see_help);
  }
  return out;
}

namespace {

// Flag descriptions start in this column and wrap at kHelpWidth, each
// continuation under the first line; a name too long for its column has the
// description on the next line. The help texts' own line breaks are only
// where their authors wrapped them: the words are filled again.
constexpr std::size_t kDescriptionColumn = 32;
constexpr std::size_t kHelpWidth = 80;

void append_flag(std::string& out, const std::string& name, const std::string& help) {
  const std::string indent(kDescriptionColumn, ' ');
  std::string line = "  " + name;
  if (line.size() + 2 > kDescriptionColumn) {
    out += line + "\n";
    line = indent;
  } else {
    line += std::string(kDescriptionColumn - line.size(), ' ');
  }
  bool first = true;
  std::size_t at = 0;
  while (at < help.size()) {
    const std::size_t start = help.find_first_not_of(" \n", at);
    if (start == std::string::npos)
      break;
    const std::size_t end = std::min(help.find_first_of(" \n", start), help.size());
    const std::string word = help.substr(start, end - start);
    if (!first && line.size() + 1 + word.size() > kHelpWidth) {
      out += line + "\n";
      line = indent + word;
    } else {
      line += (first ? "" : " ") + word;
    }
    first = false;
    at = end;
  }
  out += line + "\n";
}

}  // namespace

std::string FlagSet::usage() const {
  std::string out = "Usage: " + command_ + " [flags]\n\n" + summary_ + "\n\nFlags:\n";
  for (const auto& f : flags_) {
    std::string help = f.help;
    if (!f.default_text.empty() && f.default_text != "false") {
      help += " (default " + f.default_text + ")";
    }
    // A one-letter flag is shown as it is usually typed, as kubectl shows -n.
    append_flag(out, (f.name.size() == 1 ? "-" : "--") + f.name, help);
  }
  append_flag(out, "--help", "show this help");
  return out;
}

std::optional<int> FlagSet::parse_main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  auto parsed = parse(args);
  if (!parsed) {
    std::fprintf(stderr, "%s: %s\n", command_.c_str(), parsed.error().message().c_str());
    return 2;
  }
  if (parsed->help) {
    std::fputs(usage().c_str(), stdout);
    return 0;
  }
  return std::nullopt;
}

}  // namespace certmill::cli
