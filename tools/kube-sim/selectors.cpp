// Selector parsing and matching.
#include "tools/kube-sim/selectors.hpp"

#include <algorithm>
#include <cctype>

namespace certmill::kubesim {

namespace json = boost::json;

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}
  void skip() {
    while (pos_ < s_.size() && is_space(s_[pos_]))
      ++pos_;
  }
  bool done() {
    skip();
    return pos_ >= s_.size();
  }
  char peek() {
    skip();
    return pos_ < s_.size() ? s_[pos_] : '\0';
  }
  // An identifier or value: everything up to a space, comma, parenthesis,
  // operator character.
  std::string word() {
    skip();
    std::size_t start = pos_;
    while (pos_ < s_.size() && !is_space(s_[pos_]) && s_[pos_] != ',' && s_[pos_] != '(' &&
           s_[pos_] != ')' && s_[pos_] != '=' && s_[pos_] != '!')
      ++pos_;
    return std::string(s_.substr(start, pos_ - start));
  }
  bool take(std::string_view token) {
    skip();
    if (s_.substr(pos_, token.size()) == token) {
      pos_ += token.size();
      return true;
    }
    return false;
  }
  std::string found() {
    skip();
    if (pos_ >= s_.size())
      return "";
    if (s_.substr(pos_, 2) == "==" || s_.substr(pos_, 2) == "!=")
      return std::string(s_.substr(pos_, 2));
    if (std::string_view("=(),!").find(s_[pos_]) != std::string_view::npos)
      return std::string(1, s_[pos_]);
    Lexer copy = *this;
    return copy.word();
  }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
};

bool valid_label_value(std::string_view v) {
  if (v.empty())
    return true;
  if (v.size() > 63)
    return false;
  auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  if (!alnum(v.front()) || !alnum(v.back()))
    return false;
  return std::all_of(v.begin(), v.end(),
                     [&](char c) { return alnum(c) || c == '-' || c == '_' || c == '.'; });
}

bool valid_label_key(std::string_view k) {
  if (k.empty())
    return false;
  auto slash = k.rfind('/');
  std::string_view name = slash == std::string_view::npos ? k : k.substr(slash + 1);
  return !name.empty() && valid_label_value(name);
}

std::string value_error(std::string_view key, std::string_view value, std::size_t index) {
  return "unable to parse requirement: values[" + std::to_string(index) + "][" + std::string(key) +
         "]: Invalid value: \"" + std::string(value) +
         "\": a valid label must be an empty string or consist of alphanumeric characters, '-', "
         "'_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
         "'my_value',  or '12345', regex used for validation is "
         "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
}

const json::value* lookup(const json::object& object, std::string_view path) {
  const json::value* cur = nullptr;
  const json::object* obj = &object;
  while (true) {
    auto dot = path.find('.');
    std::string_view part = path.substr(0, dot);
    cur = obj->if_contains(part);
    if (!cur || dot == std::string_view::npos)
      return cur;
    if (!cur->is_object())
      return nullptr;
    obj = &cur->as_object();
    path.remove_prefix(dot + 1);
  }
}

std::string as_text(const json::value* v) {
  if (!v || v->is_null())
    return "";
  if (v->is_string())
    return std::string(v->as_string());
  return json::serialize(*v);
}

}  // namespace

std::optional<Selector> parse_label_selector(std::string_view text, std::string& error) {
  Selector sel;
  Lexer lx(text);
  if (lx.done())
    return sel;
  while (true) {
    Requirement r;
    bool negated = lx.take("!");
    r.key = lx.word();
    if (r.key.empty()) {
      error = "unable to parse requirement: found '" + lx.found() + "', expected: identifier";
      return std::nullopt;
    }
    if (!valid_label_key(r.key)) {
      error = "unable to parse requirement: key: Invalid value: \"" + r.key +
              "\": name part must consist of alphanumeric characters, '-', '_' or '.', and must "
              "start and end with an alphanumeric character";
      return std::nullopt;
    }
    if (negated) {
      r.op = Requirement::Op::not_exists;
    } else if (lx.take("==") || lx.take("=")) {
      r.op = Requirement::Op::equals;
    } else if (lx.take("!=")) {
      r.op = Requirement::Op::not_equals;
    } else if (lx.take("notin")) {
      r.op = Requirement::Op::not_in;
    } else if (lx.take("in")) {
      r.op = Requirement::Op::in;
    } else if (lx.done() || lx.peek() == ',') {
      r.op = Requirement::Op::exists;
    } else {
      error = "unable to parse requirement: found '" + lx.found() +
              "', expected: in, notin, =, ==, !=, gt, lt";
      return std::nullopt;
    }
    if (r.op == Requirement::Op::equals || r.op == Requirement::Op::not_equals) {
      std::string next = lx.found();
      if (next == "=" || next == "==" || next == "!=" || next == "!" || next == "(" ||
          next == ")") {
        error = "unable to parse requirement: found '" + next + "', expected: identifier";
        return std::nullopt;
      }
      std::string v = lx.word();
      if (!valid_label_value(v)) {
        error = value_error(r.key, v, 0);
        return std::nullopt;
      }
      r.values.push_back(std::move(v));
    } else if (r.op == Requirement::Op::in || r.op == Requirement::Op::not_in) {
      if (!lx.take("(")) {
        error = "unable to parse requirement: found '" + lx.found() + "', expected: '('";
        return std::nullopt;
      }
      while (true) {
        std::string v = lx.word();
        if (!valid_label_value(v)) {
          error = value_error(r.key, v, r.values.size());
          return std::nullopt;
        }
        r.values.push_back(std::move(v));
        if (lx.take(")"))
          break;
        if (!lx.take(",")) {
          error = "unable to parse requirement: found '" + lx.found() + "', expected: ',' or ')'";
          return std::nullopt;
        }
      }
    }
    sel.requirements.push_back(std::move(r));
    if (lx.done())
      return sel;
    if (!lx.take(",")) {
      error = "unable to parse requirement: found '" + lx.found() + "', expected: ','";
      return std::nullopt;
    }
  }
}

std::optional<Selector> parse_field_selector(std::string_view text,
                                             const std::vector<std::string>& allowed,
                                             std::string& error) {
  Selector sel;
  while (!text.empty()) {
    auto comma = text.find(',');
    std::string_view term = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    if (term.empty())
      continue;
    Requirement r;
    std::size_t op_at;
    std::size_t op_len;
    if ((op_at = term.find("!=")) != std::string_view::npos) {
      r.op = Requirement::Op::not_equals;
      op_len = 2;
    } else if ((op_at = term.find("==")) != std::string_view::npos) {
      r.op = Requirement::Op::equals;
      op_len = 2;
    } else if ((op_at = term.find('=')) != std::string_view::npos) {
      r.op = Requirement::Op::equals;
      op_len = 1;
    } else {
      error = "invalid selector: '" + std::string(term) + "'; can't understand '" +
              std::string(term) + "'";
      return std::nullopt;
    }
    r.key = std::string(term.substr(0, op_at));
    r.values.emplace_back(term.substr(op_at + op_len));
    if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), r.key) == allowed.end()) {
      error = "field label not supported: " + r.key;
      return std::nullopt;
    }
    sel.requirements.push_back(std::move(r));
  }
  return sel;
}

bool matches_labels(const Selector& s, const json::object& object) {
  const json::object* labels = nullptr;
  if (auto* m = object.if_contains("metadata"); m && m->is_object())
    if (auto* l = m->as_object().if_contains("labels"); l && l->is_object())
      labels = &l->as_object();
  for (const auto& r : s.requirements) {
    const json::value* v = labels ? labels->if_contains(r.key) : nullptr;
    std::string text = as_text(v);
    bool in = std::find(r.values.begin(), r.values.end(), text) != r.values.end();
    switch (r.op) {
      case Requirement::Op::exists:
        if (!v)
          return false;
        break;
      case Requirement::Op::not_exists:
        if (v)
          return false;
        break;
      case Requirement::Op::equals:
      case Requirement::Op::in:
        if (!v || !in)
          return false;
        break;
      case Requirement::Op::not_equals:
      case Requirement::Op::not_in:
        if (v && in)
          return false;
        break;
    }
  }
  return true;
}

bool matches_fields(const Selector& s, const json::object& object) {
  for (const auto& r : s.requirements) {
    bool eq = as_text(lookup(object, r.key)) == r.values.front();
    if ((r.op == Requirement::Op::equals) != eq)
      return false;
  }
  return true;
}

}  // namespace certmill::kubesim
