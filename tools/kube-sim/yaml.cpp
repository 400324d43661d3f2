// A small indentation-driven YAML reader.
#include "tools/kube-sim/yaml.hpp"

#include <cstdlib>
#include <vector>

namespace certmill::kubesim {

namespace json = boost::json;

namespace {

struct Line {
  int indent;
  std::string text;
};

std::string strip_comment(const std::string& s) {
  char quote = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quote) {
      if (c == quote)
        quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '#' && (i == 0 || s[i - 1] == ' ')) {
      std::string out = s.substr(0, i);
      while (!out.empty() && out.back() == ' ')
        out.pop_back();
      return out;
    }
  }
  return s;
}

// The position of the ':' that ends a mapping key, or npos.
std::size_t key_colon(const std::string& s) {
  char quote = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quote) {
      if (c == quote)
        quote = 0;
      continue;
    }
    if ((c == '"' || c == '\'') && i == 0) {
      quote = c;
      continue;
    }
    if (c == '{' || c == '[')
      return std::string::npos;
    if (c == ':' && (i + 1 == s.size() || s[i + 1] == ' '))
      return i;
  }
  return std::string::npos;
}

json::value scalar(std::string s);

// A flow collection whose items are plain YAML rather than JSON
// ("[a.example.com, b.example.com]", "{app: web}"): items split on commas
// outside quotes and nested brackets, each read as a scalar or a flow. Sets
// `ok` false when the brackets do not close.
json::value flow(std::string_view s, std::size_t& i, bool& ok) {
  const char close = s[i] == '[' ? ']' : '}';
  const bool sequence = close == ']';
  ++i;
  json::array items;
  json::object fields;
  while (ok) {
    while (i < s.size() && s[i] == ' ')
      ++i;
    if (i >= s.size()) {
      ok = false;
      break;
    }
    if (s[i] == close) {
      ++i;
      break;
    }
    auto item = [&]() -> json::value {
      if (s[i] == '[' || s[i] == '{')
        return flow(s, i, ok);
      std::size_t start = i;
      char quote = 0;
      for (; i < s.size(); ++i) {
        const char c = s[i];
        if (quote) {
          if (c == quote)
            quote = 0;
        } else if (c == '"' || c == '\'') {
          quote = c;
        } else if (c == ',' || c == close || (!sequence && c == ':')) {
          break;
        }
      }
      std::string text(s.substr(start, i - start));
      while (!text.empty() && text.front() == ' ')
        text.erase(0, 1);
      return scalar(std::move(text));
    };
    json::value first = item();
    if (!sequence) {
      if (i >= s.size() || s[i] != ':') {
        ok = false;
        break;
      }
      ++i;
      while (i < s.size() && s[i] == ' ')
        ++i;
      json::value value = item();
      fields[first.is_string() ? std::string(first.as_string()) : json::serialize(first)] =
          std::move(value);
    } else {
      items.push_back(std::move(first));
    }
    while (i < s.size() && s[i] == ' ')
      ++i;
    if (i < s.size() && s[i] == ',')
      ++i;
  }
  if (sequence)
    return items;
  return fields;
}

json::value scalar(std::string s) {
  while (!s.empty() && s.back() == ' ')
    s.pop_back();
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL")
    return nullptr;
  if (s.front() == '"') {
    json::error_code ec;
    auto v = json::parse(s, ec);
    if (!ec)
      return v;
    return json::value(s.substr(1, s.size() > 1 ? s.size() - 2 : 0));
  }
  if (s.front() == '\'') {
    std::string out;
    for (std::size_t i = 1; i + 1 < s.size(); ++i) {
      out += s[i];
      if (s[i] == '\'' && s[i + 1] == '\'')
        ++i;
    }
    return json::value(out);
  }
  if (s.front() == '{' || s.front() == '[') {
    json::error_code ec;
    auto v = json::parse(s, ec);
    if (!ec)
      return v;
    bool ok = true;
    std::size_t i = 0;
    v = flow(s, i, ok);
    if (ok && i == s.size())
      return v;
  }
  if (s == "true" || s == "True" || s == "TRUE")
    return true;
  if (s == "false" || s == "False" || s == "FALSE")
    return false;
  char* end = nullptr;
  long long i = std::strtoll(s.c_str(), &end, 10);
  if (end && *end == '\0' && s.find_first_not_of("+-0123456789") == std::string::npos)
    return i;
  double d = std::strtod(s.c_str(), &end);
  if (end && *end == '\0' && s.find_first_of("0123456789") != std::string::npos &&
      s.find_first_not_of("+-0123456789.eE") == std::string::npos)
    return d;
  return json::value(s);
}

class Parser {
 public:
  explicit Parser(std::vector<Line> lines) : lines_(std::move(lines)) {}

  bool parse(json::value& out, std::string& error) {
    if (lines_.empty()) {
      out = nullptr;
      return true;
    }
    out = node(lines_[0].indent);
    if (!error_.empty() || pos_ != lines_.size()) {
      error = error_.empty()
                  ? "yaml: line " + std::to_string(pos_ + 1) + ": did not find expected key"
                  : error_;
      return false;
    }
    return true;
  }

 private:
  bool is_item(const Line& l) const { return l.text == "-" || l.text.rfind("- ", 0) == 0; }

  json::value node(int indent) {
    if (pos_ >= lines_.size())
      return nullptr;
    if (is_item(lines_[pos_]))
      return sequence(lines_[pos_].indent);
    if (key_colon(lines_[pos_].text) == std::string::npos)
      return scalar(lines_[pos_++].text);
    return mapping(indent);
  }

  json::value block_scalar(const std::string& style, int parent) {
    std::vector<std::string> parts;
    int indent = -1;
    while (pos_ < lines_.size() && lines_[pos_].indent > parent) {
      if (indent < 0)
        indent = lines_[pos_].indent;
      parts.push_back(std::string(static_cast<std::size_t>(lines_[pos_].indent - indent), ' ') +
                      lines_[pos_].text);
      ++pos_;
    }
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      out += parts[i];
      if (i + 1 < parts.size())
        out += style[0] == '>' ? ' ' : '\n';
    }
    if (style.find('-') == std::string::npos && !parts.empty())
      out += '\n';
    return json::value(out);
  }

  json::value value_after(const std::string& rest, int indent) {
    if (rest == "|" || rest == "|-" || rest == ">" || rest == ">-")
      return block_scalar(rest, indent);
    if (!rest.empty())
      return scalar(rest);
    if (pos_ < lines_.size() && lines_[pos_].indent > indent)
      return node(lines_[pos_].indent);
    if (pos_ < lines_.size() && lines_[pos_].indent == indent && is_item(lines_[pos_]))
      return sequence(indent);
    return nullptr;
  }

  json::value mapping(int indent) {
    json::object o;
    while (pos_ < lines_.size() && lines_[pos_].indent == indent && !is_item(lines_[pos_])) {
      const std::string text = lines_[pos_].text;
      auto colon = key_colon(text);
      if (colon == std::string::npos) {
        error_ = "yaml: line " + std::to_string(pos_ + 1) + ": could not find expected ':'";
        return o;
      }
      json::value k = scalar(text.substr(0, colon));
      std::string key = k.is_string() ? std::string(k.as_string()) : json::serialize(k);
      std::string rest = colon + 1 < text.size() ? text.substr(colon + 2) : "";
      ++pos_;
      o[key] = value_after(rest, indent);
      if (!error_.empty())
        return o;
    }
    return o;
  }

  json::value sequence(int indent) {
    json::array a;
    while (pos_ < lines_.size() && lines_[pos_].indent == indent && is_item(lines_[pos_])) {
      std::string rest = lines_[pos_].text.size() > 2 ? lines_[pos_].text.substr(2) : "";
      std::size_t extra = rest.find_first_not_of(' ');
      if (extra == std::string::npos)
        rest.clear();
      else
        rest = rest.substr(extra);
      if (rest.empty()) {
        ++pos_;
        a.push_back(pos_ < lines_.size() && lines_[pos_].indent > indent ? node(lines_[pos_].indent)
                                                                         : json::value(nullptr));
      } else if (key_colon(rest) != std::string::npos || rest == "-" || rest.rfind("- ", 0) == 0) {
        // "- key: value": the item is a mapping (or sequence) starting on this line.
        lines_[pos_].indent = indent + 2 + static_cast<int>(extra);
        lines_[pos_].text = rest;
        a.push_back(node(lines_[pos_].indent));
      } else {
        ++pos_;
        a.push_back(scalar(rest));
      }
      if (!error_.empty())
        return a;
    }
    return a;
  }

  std::vector<Line> lines_;
  std::size_t pos_ = 0;
  std::string error_;
};

}  // namespace

bool yaml_to_json(std::string_view text, json::value& out, std::string& error) {
  std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && (text[first] == '{' || text[first] == '[')) {
    json::error_code ec;
    out = json::parse(text, ec);
    if (ec) {
      error = ec.message();
      return false;
    }
    return true;
  }
  std::vector<Line> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto nl = text.find('\n', start);
    std::string raw(text.substr(start, nl == std::string_view::npos ? nl : nl - start));
    start = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
    if (!raw.empty() && raw.back() == '\r')
      raw.pop_back();
    if (raw.find('\t') != std::string::npos && raw.find_first_not_of('\t') == 0) {
      error = "yaml: found a tab character that violates indentation";
      return false;
    }
    std::size_t ind = raw.find_first_not_of(' ');
    if (ind == std::string::npos)
      continue;
    std::string content = strip_comment(raw.substr(ind));
    if (content.empty() || content == "---" || content == "...")
      continue;
    lines.push_back({static_cast<int>(ind), content});
  }
  return Parser(std::move(lines)).parse(out, error);
}

}  // namespace certmill::kubesim
