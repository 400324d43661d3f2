// The evaluator of kube-sim's CEL subset over JSON values. Errors carry
// CEL's wording where kube-apiserver shows it ("no such key"); && and ||
// absorb an error on one side when the other side decides, as CEL's
// commutative logic does.
#include "tools/kube-sim/cel.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <regex>

#include "tools/kube-sim/cel_syntax.hpp"

namespace certmill::kubesim {

namespace json = boost::json;

namespace {

using cel::boolean;
using cel::integer;
using cel::Node;
using cel::Value;

Value from_json(const json::value& j) {
  Value v;
  switch (j.kind()) {
    case json::kind::null:
      break;
    case json::kind::bool_:
      return boolean(j.as_bool());
    case json::kind::int64:
      return integer(j.as_int64());
    case json::kind::uint64:
      return integer(static_cast<int64_t>(j.as_uint64()));
    case json::kind::double_:
      v.kind = Value::Kind::Double;
      v.d = j.as_double();
      break;
    case json::kind::string:
      v.kind = Value::Kind::String;
      v.s = j.as_string();
      break;
    case json::kind::array:
      v.kind = Value::Kind::List;
      for (const auto& item : j.as_array())
        v.list.push_back(from_json(item));
      break;
    case json::kind::object:
      v.kind = Value::Kind::Map;
      v.map = &j.as_object();
      break;
  }
  return v;
}

bool equal(const Value& a, const Value& b) {
  using K = Value::Kind;
  if (a.kind == K::Int && b.kind == K::Double)
    return static_cast<double>(a.i) == b.d;
  if (a.kind == K::Double && b.kind == K::Int)
    return a.d == static_cast<double>(b.i);
  if (a.kind != b.kind)
    return false;
  switch (a.kind) {
    case K::Null:
      return true;
    case K::Bool:
      return a.b == b.b;
    case K::Int:
      return a.i == b.i;
    case K::Double:
      return a.d == b.d;
    case K::String:
      return a.s == b.s;
    case K::Duration:
      return a.duration == b.duration;
    case K::List:
      return std::equal(a.list.begin(), a.list.end(), b.list.begin(), b.list.end(), equal);
    case K::Map:
      return *a.map == *b.map;
  }
  return false;
}

class Evaluator {
 public:
  Evaluator(const json::value& self, const json::value* old_self) {
    vars_["self"] = from_json(self);
    if (old_self)
      vars_["oldSelf"] = from_json(*old_self);
  }

  Result<Value> eval(const Node& n) {
    switch (n.op) {
      case Node::Op::Literal:
        return n.literal;
      case Node::Op::Ident: {
        auto it = vars_.find(n.name);
        if (it == vars_.end())
          return fail("undeclared reference to '" + n.name + "'");
        return it->second;
      }
      case Node::Op::Select: {
        auto target = eval(*n.kids[0]);
        if (!target)
          return target;
        if (target->kind != Value::Kind::Map)
          return fail("no such key: " + n.name);
        const json::value* field = target->map->if_contains(n.name);
        if (!field)
          return fail("no such key: " + n.name);
        return from_json(*field);
      }
      case Node::Op::Index:
        return index(n);
      case Node::Op::Call:
        return call(n);
      case Node::Op::Method:
        return method(n);
      case Node::Op::Unary:
        return unary(n);
      case Node::Op::Binary:
        return binary(n);
      case Node::Op::Cond: {
        auto c = eval(*n.kids[0]);
        if (!c)
          return c;
        if (c->kind != Value::Kind::Bool)
          return fail("no matching overload for '_?_:_'");
        return eval(*n.kids[c->b ? 1 : 2]);
      }
      case Node::Op::List: {
        Value list;
        list.kind = Value::Kind::List;
        for (const auto& kid : n.kids) {
          auto item = eval(*kid);
          if (!item)
            return item;
          list.list.push_back(std::move(*item));
        }
        return list;
      }
    }
    return fail("unsupported expression");
  }

 private:
  static Error fail(const std::string& why) { return Error(Errc::invalid_value, why); }

  Result<Value> index(const Node& n) {
    auto target = eval(*n.kids[0]);
    auto key = target ? eval(*n.kids[1]) : target;
    if (!key)
      return key;
    if (target->kind == Value::Kind::List && key->kind == Value::Kind::Int) {
      if (key->i < 0 || key->i >= static_cast<int64_t>(target->list.size()))
        return fail("index out of bounds: " + std::to_string(key->i));
      return target->list[static_cast<std::size_t>(key->i)];
    }
    if (target->kind == Value::Kind::Map && key->kind == Value::Kind::String) {
      const json::value* field = target->map->if_contains(key->s);
      if (!field)
        return fail("no such key: " + key->s);
      return from_json(*field);
    }
    return fail("no matching overload for '_[_]'");
  }

  static Result<Value> size_of(const Value& v) {
    switch (v.kind) {
      case Value::Kind::String:
        return integer(static_cast<int64_t>(v.s.size()));
      case Value::Kind::List:
        return integer(static_cast<int64_t>(v.list.size()));
      case Value::Kind::Map:
        return integer(static_cast<int64_t>(v.map->size()));
      default:
        return fail("no matching overload for 'size'");
    }
  }

  Result<Value> call(const Node& n) {
    if (n.name == "has") {
      if (n.kids.size() != 1 || n.kids[0]->op != Node::Op::Select)
        return fail("invalid argument to has() macro");
      auto target = eval(*n.kids[0]->kids[0]);
      if (!target)
        return target;
      if (target->kind != Value::Kind::Map)
        return fail("no such key: " + n.kids[0]->name);
      return boolean(target->map->contains(n.kids[0]->name));
    }
    if (n.kids.size() != 1)
      return fail("found no matching overload for '" + n.name + "'");
    auto arg = eval(*n.kids[0]);
    if (!arg)
      return arg;
    if (n.name == "size")
      return size_of(*arg);
    if (n.name == "duration" && arg->kind == Value::Kind::String) {
      auto parsed = parse_duration(arg->s);
      if (!parsed)
        return fail("invalid duration: " + arg->s);
      Value v;
      v.kind = Value::Kind::Duration;
      v.duration = *parsed;
      return v;
    }
    if (n.name == "int" && arg->kind == Value::Kind::Int)
      return arg;
    return fail("found no matching overload for '" + n.name + "'");
  }

  Result<Value> method(const Node& n) {
    static const std::vector<std::string> macros = {"all", "exists", "exists_one", "filter"};
    if (std::find(macros.begin(), macros.end(), n.name) != macros.end())
      return macro(n);
    auto target = eval(*n.kids[0]);
    if (!target)
      return target;
    if (n.name == "size" && n.kids.size() == 1)
      return size_of(*target);
    if (n.kids.size() != 2)
      return fail("found no matching overload for '" + n.name + "'");
    auto arg = eval(*n.kids[1]);
    if (!arg)
      return arg;
    if (target->kind != Value::Kind::String || arg->kind != Value::Kind::String)
      return fail("found no matching overload for '" + n.name + "'");
    const std::string& s = target->s;
    const std::string& a = arg->s;
    if (n.name == "startsWith")
      return boolean(s.starts_with(a));
    if (n.name == "endsWith")
      return boolean(s.ends_with(a));
    if (n.name == "contains")
      return boolean(s.find(a) != std::string::npos);
    if (n.name == "matches") {
      try {
        return boolean(std::regex_search(s, std::regex(a, std::regex::ECMAScript)));
      } catch (const std::regex_error&) {
        return fail("invalid regular expression: " + a);
      }
    }
    return fail("found no matching overload for '" + n.name + "'");
  }

  // x.all(v, p), x.exists(v, p), x.exists_one(v, p), x.filter(v, p): over a
  // list's items or a map's keys.
  Result<Value> macro(const Node& n) {
    if (n.kids.size() != 3 || n.kids[1]->op != Node::Op::Ident)
      return fail("invalid arguments to the " + n.name + "() macro");
    auto target = eval(*n.kids[0]);
    if (!target)
      return target;
    std::vector<Value> items;
    if (target->kind == Value::Kind::List) {
      items = target->list;
    } else if (target->kind == Value::Kind::Map) {
      for (const auto& [key, value] : *target->map) {
        Value k;
        k.kind = Value::Kind::String;
        k.s = key;
        items.push_back(std::move(k));
      }
    } else {
      return fail("no matching overload for '" + n.name + "'");
    }
    const std::string& var = n.kids[1]->name;
    const std::optional<Value> shadowed =
        vars_.contains(var) ? std::optional<Value>(vars_[var]) : std::nullopt;
    std::size_t count = 0;
    Value kept;
    kept.kind = Value::Kind::List;
    std::optional<Error> error;
    for (const Value& item : items) {
      vars_[var] = item;
      auto holds = eval(*n.kids[2]);
      if (!holds || holds->kind != Value::Kind::Bool) {
        error = holds ? fail("the " + n.name + "() predicate is not a bool") : holds.error();
        break;
      }
      if (holds->b) {
        ++count;
        kept.list.push_back(item);
      }
    }
    if (shadowed)
      vars_[var] = *shadowed;
    else
      vars_.erase(var);
    if (error)
      return *error;
    if (n.name == "all")
      return boolean(count == items.size());
    if (n.name == "exists")
      return boolean(count > 0);
    if (n.name == "exists_one")
      return boolean(count == 1);
    return kept;
  }

  Result<Value> unary(const Node& n) {
    auto v = eval(*n.kids[0]);
    if (!v)
      return v;
    if (n.name == "!" && v->kind == Value::Kind::Bool)
      return boolean(!v->b);
    if (n.name == "-" && v->kind == Value::Kind::Int)
      return integer(-v->i);
    if (n.name == "-" && v->kind == Value::Kind::Duration) {
      v->duration = -v->duration;
      return v;
    }
    return fail("no matching overload for '" + n.name + "_'");
  }

  Result<Value> logical(const Node& n) {
    const bool is_and = n.name == "&&";
    auto left = eval(*n.kids[0]);
    if (left && left->kind == Value::Kind::Bool && left->b != is_and)
      return boolean(!is_and);
    auto right = eval(*n.kids[1]);
    if (right && right->kind == Value::Kind::Bool && right->b != is_and)
      return boolean(!is_and);
    if (!left)
      return left;
    if (!right)
      return right;
    if (left->kind != Value::Kind::Bool || right->kind != Value::Kind::Bool)
      return fail("no matching overload for '_" + n.name + "_'");
    return boolean(is_and);
  }

  Result<Value> binary(const Node& n) {
    if (n.name == "&&" || n.name == "||")
      return logical(n);
    auto a = eval(*n.kids[0]);
    if (!a)
      return a;
    auto b = eval(*n.kids[1]);
    if (!b)
      return b;
    const std::string& op = n.name;
    if (op == "==")
      return boolean(equal(*a, *b));
    if (op == "!=")
      return boolean(!equal(*a, *b));
    if (op == "in") {
      if (b->kind == Value::Kind::List)
        return boolean(std::any_of(b->list.begin(), b->list.end(),
                                   [&](const Value& item) { return equal(item, *a); }));
      if (b->kind == Value::Kind::Map && a->kind == Value::Kind::String)
        return boolean(b->map->contains(a->s));
      return fail("no matching overload for '@in'");
    }
    using K = Value::Kind;
    if (a->kind != b->kind)
      return fail("no matching overload for '_" + op + "_'");
    if (op == "<" || op == "<=" || op == ">" || op == ">=") {
      int order = 0;
      if (a->kind == K::Int)
        order = a->i < b->i ? -1 : a->i > b->i;
      else if (a->kind == K::Double)
        order = a->d < b->d ? -1 : a->d > b->d;
      else if (a->kind == K::String)
        order = a->s.compare(b->s) < 0 ? -1 : a->s.compare(b->s) > 0;
      else if (a->kind == K::Duration)
        order = a->duration < b->duration ? -1 : a->duration > b->duration;
      else
        return fail("no matching overload for '_" + op + "_'");
      return boolean(op == "<"    ? order < 0
                     : op == "<=" ? order <= 0
                     : op == ">"  ? order > 0
                                  : order >= 0);
    }
    if (a->kind == K::Int) {
      const int64_t x = a->i;
      const int64_t y = b->i;
      if (op == "+")
        return integer(x + y);
      if (op == "-")
        return integer(x - y);
      if (op == "*")
        return integer(x * y);
      if ((op == "/" || op == "%") && y == 0)
        return fail("division by zero");
      if (op == "/")
        return integer(x / y);
      if (op == "%")
        return integer(x % y);
    }
    if (a->kind == K::Duration && (op == "+" || op == "-")) {
      a->duration = op == "+" ? a->duration + b->duration : a->duration - b->duration;
      return a;
    }
    if (a->kind == K::String && op == "+") {
      a->s += b->s;
      return a;
    }
    if (a->kind == K::List && op == "+") {
      a->list.insert(a->list.end(), b->list.begin(), b->list.end());
      return a;
    }
    return fail("no matching overload for '_" + op + "_'");
  }

  std::map<std::string, Value, std::less<>> vars_;
};

// The tree of `rule`, parsed once: every write of a custom resource checks
// its CRD's rules, and the rules are few. A rule that does not parse is
// parsed again each time, to say why.
Result<const Node*> parsed(std::string_view rule) {
  thread_local std::map<std::string, cel::NodePtr, std::less<>> trees;
  if (auto it = trees.find(rule); it != trees.end())
    return it->second.get();
  auto tree = cel::parse(rule);
  if (!tree)
    return tree.error();
  if (trees.size() >= 1024)
    trees.clear();
  return trees.emplace(std::string(rule), std::move(*tree)).first->second.get();
}

}  // namespace

Result<bool> evaluate_cel(std::string_view rule, const json::value& self,
                          const json::value* old_self) {
  auto tree = parsed(rule);
  if (!tree)
    return tree.error();
  auto value = Evaluator(self, old_self).eval(**tree);
  if (!value)
    return value.error();
  if (value->kind != Value::Kind::Bool)
    return Error(Errc::invalid_value, "the rule does not evaluate to a bool");
  return value->b;
}

}  // namespace certmill::kubesim
