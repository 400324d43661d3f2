// The lexer and parser: tokens first, then precedence climbing from `?:`
// (loosest) down to member access and literals.
#include "tools/kube-sim/cel_syntax.hpp"

#include <cctype>
#include <map>

namespace certmill::kubesim::cel {

namespace {

struct Token {
  enum class Kind { End, Ident, Int, Double, String, Op };
  Kind kind = Kind::End;
  std::string text;
};

Result<std::vector<Token>> lex(std::string_view src) {
  std::vector<Token> out;
  std::size_t p = 0;
  const auto fail = [&](const std::string& why) {
    return Error(Errc::invalid_value, "compilation failed: " + why + " at " + std::to_string(p));
  };
  while (p < src.size()) {
    const char c = src[p];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++p;
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      std::size_t e = p;
      while (e < src.size() && (std::isalnum(static_cast<unsigned char>(src[e])) || src[e] == '_'))
        ++e;
      out.push_back({Token::Kind::Ident, std::string(src.substr(p, e - p))});
      p = e;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      std::size_t e = p;
      bool real = false;
      while (e < src.size() &&
             (std::isdigit(static_cast<unsigned char>(src[e])) || (src[e] == '.' && !real))) {
        real = real || src[e] == '.';
        ++e;
      }
      out.push_back(
          {real ? Token::Kind::Double : Token::Kind::Int, std::string(src.substr(p, e - p))});
      p = e;
      if (p < src.size() && src[p] == 'u')
        ++p;
    } else if (c == '\'' || c == '"') {
      std::string text;
      std::size_t e = p + 1;
      for (; e < src.size() && src[e] != c; ++e) {
        if (src[e] == '\\' && e + 1 < src.size()) {
          ++e;
          text += src[e] == 'n' ? '\n' : src[e] == 't' ? '\t' : src[e];
        } else {
          text += src[e];
        }
      }
      if (e >= src.size())
        return fail("unterminated string");
      out.push_back({Token::Kind::String, std::move(text)});
      p = e + 1;
    } else {
      static const char* two[] = {"==", "!=", "<=", ">=", "&&", "||"};
      std::string op(1, c);
      for (const char* t : two) {
        if (src.substr(p, 2) == t)
          op = t;
      }
      if (op.size() == 1 && std::string_view("<>!?:.,()[]+-*/%").find(c) == std::string_view::npos)
        return fail(std::string("unexpected '") + c + "'");
      out.push_back({Token::Kind::Op, op});
      p += op.size();
    }
  }
  out.push_back({});
  return out;
}

NodePtr make(Node::Op op, std::string name, std::vector<NodePtr> kids = {}) {
  auto n = std::make_unique<Node>();
  n->op = op;
  n->name = std::move(name);
  n->kids = std::move(kids);
  return n;
}

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  Result<NodePtr> parse() {
    auto n = conditional();
    if (n && peek().kind != Token::Kind::End)
      return fail("unexpected '" + peek().text + "'");
    return n;
  }

 private:
  const Token& peek() const { return tokens_[pos_]; }
  bool accept(std::string_view op) {
    if (peek().kind == Token::Kind::Op && peek().text == op) {
      ++pos_;
      return true;
    }
    return false;
  }
  Error fail(const std::string& why) const {
    return Error(Errc::invalid_value, "compilation failed: " + why);
  }

  Result<NodePtr> conditional() {
    auto c = binary(0);
    if (!c || !accept("?"))
      return c;
    auto yes = conditional();
    if (!yes)
      return yes;
    if (!accept(":"))
      return fail("expected ':'");
    auto no = conditional();
    if (!no)
      return no;
    std::vector<NodePtr> kids;
    kids.push_back(std::move(*c));
    kids.push_back(std::move(*yes));
    kids.push_back(std::move(*no));
    return make(Node::Op::Cond, "?:", std::move(kids));
  }

  // Precedence climbing over CEL's binary operators, loosest first.
  static int precedence(const Token& t) {
    if (t.kind == Token::Kind::Ident && t.text == "in")
      return 3;
    if (t.kind != Token::Kind::Op)
      return -1;
    static const std::map<std::string, int, std::less<>> levels = {
        {"||", 1}, {"&&", 2}, {"==", 3}, {"!=", 3}, {"<", 3}, {"<=", 3}, {">", 3},
        {">=", 3}, {"+", 4},  {"-", 4},  {"*", 5},  {"/", 5}, {"%", 5}};
    auto it = levels.find(t.text);
    return it == levels.end() ? -1 : it->second;
  }

  Result<NodePtr> binary(int min_level) {
    auto left = unary();
    if (!left)
      return left;
    for (;;) {
      const int level = precedence(peek());
      if (level < 0 || level < min_level)
        return left;
      const std::string op = peek().text;
      ++pos_;
      auto right = binary(level + 1);
      if (!right)
        return right;
      std::vector<NodePtr> kids;
      kids.push_back(std::move(*left));
      kids.push_back(std::move(*right));
      left = make(Node::Op::Binary, op, std::move(kids));
    }
  }

  Result<NodePtr> unary() {
    for (const char* op : {"!", "-"}) {
      if (accept(op)) {
        auto operand = unary();
        if (!operand)
          return operand;
        std::vector<NodePtr> kids;
        kids.push_back(std::move(*operand));
        return make(Node::Op::Unary, op, std::move(kids));
      }
    }
    return postfix();
  }

  Result<std::vector<NodePtr>> arguments(std::string_view close) {
    std::vector<NodePtr> args;
    if (accept(close))
      return args;
    do {
      auto a = conditional();
      if (!a)
        return a.error();
      args.push_back(std::move(*a));
    } while (accept(","));
    if (!accept(close))
      return fail("expected '" + std::string(close) + "'");
    return args;
  }

  Result<NodePtr> postfix() {
    auto n = primary();
    while (n) {
      if (accept(".")) {
        if (peek().kind != Token::Kind::Ident)
          return fail("expected a field name after '.'");
        std::string name = tokens_[pos_++].text;
        std::vector<NodePtr> kids;
        kids.push_back(std::move(*n));
        if (accept("(")) {
          auto args = arguments(")");
          if (!args)
            return args.error();
          for (auto& a : *args)
            kids.push_back(std::move(a));
          n = make(Node::Op::Method, std::move(name), std::move(kids));
        } else {
          n = make(Node::Op::Select, std::move(name), std::move(kids));
        }
      } else if (accept("[")) {
        auto index = conditional();
        if (!index)
          return index;
        if (!accept("]"))
          return fail("expected ']'");
        std::vector<NodePtr> kids;
        kids.push_back(std::move(*n));
        kids.push_back(std::move(*index));
        n = make(Node::Op::Index, "[]", std::move(kids));
      } else {
        break;
      }
    }
    return n;
  }

  Result<NodePtr> primary() {
    const Token t = peek();
    ++pos_;
    switch (t.kind) {
      case Token::Kind::Int: {
        auto n = make(Node::Op::Literal, t.text);
        n->literal = integer(std::stoll(t.text));
        return n;
      }
      case Token::Kind::Double: {
        auto n = make(Node::Op::Literal, t.text);
        n->literal.kind = Value::Kind::Double;
        n->literal.d = std::stod(t.text);
        return n;
      }
      case Token::Kind::String: {
        auto n = make(Node::Op::Literal, t.text);
        n->literal.kind = Value::Kind::String;
        n->literal.s = t.text;
        return n;
      }
      case Token::Kind::Ident: {
        if (t.text == "true" || t.text == "false") {
          auto n = make(Node::Op::Literal, t.text);
          n->literal = boolean(t.text == "true");
          return n;
        }
        if (t.text == "null")
          return make(Node::Op::Literal, t.text);
        if (accept("(")) {
          auto args = arguments(")");
          if (!args)
            return args.error();
          return make(Node::Op::Call, t.text, std::move(*args));
        }
        return make(Node::Op::Ident, t.text);
      }
      case Token::Kind::Op:
        if (t.text == "(") {
          auto inner = conditional();
          if (inner && !accept(")"))
            return fail("expected ')'");
          return inner;
        }
        if (t.text == "[") {
          auto items = arguments("]");
          if (!items)
            return items.error();
          return make(Node::Op::List, "[]", std::move(*items));
        }
        return fail("unexpected '" + t.text + "'");
      case Token::Kind::End:
        break;
    }
    return fail("unexpected end of expression");
  }

  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
};

}  // namespace

Result<NodePtr> parse(std::string_view rule) {
  auto tokens = lex(rule);
  if (!tokens)
    return tokens.error();
  return Parser(std::move(*tokens)).parse();
}

}  // namespace certmill::kubesim::cel
