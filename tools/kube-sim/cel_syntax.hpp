// CEL's syntax for kube-sim's validation rules: the values a rule computes
// with, and the tree a rule parses to (cel_syntax.cpp: a lexer and a
// recursive-descent parser over CEL's operator precedence). cel.cpp
// evaluates the tree.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "core/duration.hpp"
#include "core/result.hpp"

namespace certmill::kubesim::cel {

struct Value {
  enum class Kind { Null, Bool, Int, Double, String, Duration, List, Map };
  Kind kind = Kind::Null;
  bool b = false;
  int64_t i = 0;
  double d = 0;
  std::string s;
  Duration duration{};
  std::vector<Value> list;
  const boost::json::object* map = nullptr;  // maps only come from the object
};

inline Value boolean(bool b) {
  Value v;
  v.kind = Value::Kind::Bool;
  v.b = b;
  return v;
}

inline Value integer(int64_t i) {
  Value v;
  v.kind = Value::Kind::Int;
  v.i = i;
  return v;
}

struct Node {
  enum class Op { Literal, Ident, Select, Index, Call, Method, Unary, Binary, Cond, List };
  Op op = Op::Literal;
  std::string name;  // identifier, field, function or operator
  Value literal;
  std::vector<std::unique_ptr<Node>> kids;
};
using NodePtr = std::unique_ptr<Node>;

// The tree of `rule`, or a compile error.
Result<NodePtr> parse(std::string_view rule);

}  // namespace certmill::kubesim::cel
