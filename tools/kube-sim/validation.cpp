// Structural-schema validation of custom resources.
#include "tools/kube-sim/validation.hpp"

#include <algorithm>
#include <optional>
#include <regex>

#include "tools/kube-sim/cel.hpp"

namespace certmill::kubesim {

namespace json = boost::json;

namespace {

std::string type_name(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "boolean";
    case json::kind::int64:
    case json::kind::uint64:
      return "integer";
    case json::kind::double_:
      return "number";
    case json::kind::string:
      return "string";
    case json::kind::array:
      return "array";
    case json::kind::object:
      return "object";
  }
  return "unknown";
}

bool type_ok(const json::value& v, std::string_view type, const json::object& schema) {
  if (auto* ios = schema.if_contains("x-kubernetes-int-or-string");
      ios && ios->is_bool() && ios->as_bool())
    return v.is_int64() || v.is_uint64() || v.is_string();
  if (type.empty())
    return true;
  if (type == "number")
    return v.is_number();
  return type_name(v) == type;
}

std::string quoted(const json::value& v) {
  if (v.is_string())
    return "\"" + std::string(v.as_string()) + "\"";
  return json::serialize(v);
}

bool flag(const json::object& schema, std::string_view name) {
  auto* v = schema.if_contains(name);
  return v && v->is_bool() && v->as_bool();
}

class Validator {
 public:
  // `old_root`: the stored object on an update, else null. Its parts are
  // looked up in place; only a transition rule on the root copies it.
  Validator(bool prune, ValidationResult& out, const json::object* old_root)
      : prune_(prune), out_(out), old_root_(old_root) {}

  // `old` is the same place in the stored object on an update, else null.
  void check(json::value& v, const json::value& schema_value, const std::string& path,
             const json::value* old = nullptr) {
    if (!schema_value.is_object())
      return;
    const auto& schema = schema_value.as_object();
    if (v.is_null())
      return;
    std::string type;
    if (auto* t = schema.if_contains("type"); t && t->is_string())
      type = t->as_string();
    if (!type_ok(v, type, schema)) {
      std::string got = type_name(v);
      out_.causes.push_back({"FieldValueTypeInvalid",
                             "Invalid value: \"" + got + "\": " + path +
                                 " in body must be of type " + type + ": \"" + got + "\"",
                             path});
      return;
    }
    if (auto* e = schema.if_contains("enum"); e && e->is_array()) {
      bool found = false;
      std::string supported;
      for (const auto& option : e->as_array()) {
        found = found || option == v;
        if (!supported.empty())
          supported += ", ";
        supported += quoted(option);
      }
      if (!found)
        out_.causes.push_back(
            {"FieldValueNotSupported",
             "Unsupported value: " + quoted(v) + ": supported values: " + supported, path});
    }
    if (v.is_string())
      check_string(v.as_string(), schema, path);
    if (v.is_number())
      check_number(v, schema, path);
    if (v.is_array())
      check_array(v.as_array(), schema, path);
    if (v.is_object())
      check_object(v.as_object(), schema, path, old);
    check_rules(v, schema, path, old);
  }

 private:
  // x-kubernetes-validations: each rule a CEL expression over `self` (and
  // `oldSelf`: a transition rule, checked on updates only).
  void check_rules(const json::value& v, const json::object& schema, const std::string& path,
                   const json::value* old) {
    auto* rules = schema.if_contains("x-kubernetes-validations");
    if (!rules || !rules->is_array())
      return;
    for (const auto& entry : rules->as_array()) {
      const auto* rule = entry.is_object() ? entry.as_object().if_contains("rule") : nullptr;
      if (!rule || !rule->is_string())
        continue;
      const std::string_view text = rule->as_string();
      const bool transition = text.find("oldSelf") != std::string_view::npos;
      std::optional<json::value> old_root;
      if (transition && path.empty() && old_root_)
        old = &old_root.emplace(*old_root_);
      if (transition && !old)
        continue;
      const auto holds = evaluate_cel(text, v, transition ? old : nullptr);
      if (holds && *holds)
        continue;
      std::string message = holds ? "failed rule: " + std::string(text) : holds.error().message();
      if (const auto* m = entry.as_object().if_contains("message"); holds && m && m->is_string())
        message = std::string(m->as_string());
      out_.causes.push_back({"FieldValueInvalid",
                             "Invalid value: \"" + type_name(v) + "\": " + message,
                             path.empty() ? "<nil>" : path});
    }
  }

  void check_string(std::string_view s, const json::object& schema, const std::string& path) {
    // Lengths count characters, as kube-apiserver does, not bytes.
    const auto length = static_cast<std::int64_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
    if (auto* m = schema.if_contains("minLength"); m && m->is_int64() && length < m->as_int64())
      out_.causes.push_back({"FieldValueInvalid",
                             "Invalid value: \"" + std::string(s) + "\": " + path +
                                 " in body should be at least " + std::to_string(m->as_int64()) +
                                 " chars long",
                             path});
    if (auto* m = schema.if_contains("maxLength"); m && m->is_int64() && length > m->as_int64())
      out_.causes.push_back({"FieldValueTooLong",
                             "Too long: may not be longer than " + std::to_string(m->as_int64()),
                             path});
    if (auto* p = schema.if_contains("pattern"); p && p->is_string()) {
      try {
        std::regex re(std::string(p->as_string()), std::regex::ECMAScript);
        if (!std::regex_search(s.begin(), s.end(), re))
          out_.causes.push_back({"FieldValueInvalid",
                                 "Invalid value: \"" + std::string(s) + "\": " + path +
                                     " in body should match '" + std::string(p->as_string()) + "'",
                                 path});
      } catch (const std::regex_error&) {
        // A pattern std::regex cannot compile is not held against the object.
      }
    }
  }

  void check_number(const json::value& v, const json::object& schema, const std::string& path) {
    double x = v.to_number<double>();
    if (auto* m = schema.if_contains("minimum"); m && m->is_number() && x < m->to_number<double>())
      out_.causes.push_back({"FieldValueInvalid",
                             "Invalid value: " + json::serialize(v) + ": " + path +
                                 " in body should be greater than or equal to " +
                                 json::serialize(*m),
                             path});
    if (auto* m = schema.if_contains("maximum"); m && m->is_number() && x > m->to_number<double>())
      out_.causes.push_back({"FieldValueInvalid",
                             "Invalid value: " + json::serialize(v) + ": " + path +
                                 " in body should be less than or equal to " + json::serialize(*m),
                             path});
  }

  void check_array(json::array& a, const json::object& schema, const std::string& path) {
    if (auto* m = schema.if_contains("minItems");
        m && m->is_int64() && static_cast<std::int64_t>(a.size()) < m->as_int64())
      out_.causes.push_back({"FieldValueInvalid",
                             "Invalid value: " + std::to_string(a.size()) + ": " + path +
                                 " in body should have at least " + std::to_string(m->as_int64()) +
                                 " items",
                             path});
    if (auto* m = schema.if_contains("maxItems");
        m && m->is_int64() && static_cast<std::int64_t>(a.size()) > m->as_int64())
      out_.causes.push_back({"FieldValueTooMany",
                             "Too many: " + std::to_string(a.size()) + ": must have at most " +
                                 std::to_string(m->as_int64()) + " items",
                             path});
    if (auto* items = schema.if_contains("items"))
      for (std::size_t i = 0; i < a.size(); ++i)
        check(a[i], *items, path + "[" + std::to_string(i) + "]");
  }

  void check_object(json::object& o, const json::object& schema, const std::string& path,
                    const json::value* old) {
    const json::object* props = nullptr;
    if (auto* p = schema.if_contains("properties"); p && p->is_object())
      props = &p->as_object();
    const json::value* additional = schema.if_contains("additionalProperties");
    const bool preserve = flag(schema, "x-kubernetes-preserve-unknown-fields") ||
                          (additional && additional->is_bool() && additional->as_bool());
    std::vector<std::string> drop;
    for (auto& [k, v] : o) {
      std::string child = path.empty() ? std::string(k) : path + "." + std::string(k);
      const json::value* sub = props ? props->if_contains(k) : nullptr;
      if (path.empty() && k == "metadata")
        continue;  // checked by check_metadata, whatever the schema says
      const json::value* old_child = path.empty()
                                         ? (old_root_ ? old_root_->if_contains(k) : nullptr)
                                     : old && old->is_object() ? old->as_object().if_contains(k)
                                                               : nullptr;
      if (sub) {
        check(v, *sub, child, old_child);
      } else if (additional && additional->is_object()) {
        check(v, *additional, child);
      } else if (!preserve &&
                 !(path.empty() && (k == "apiVersion" || k == "kind" || k == "metadata"))) {
        out_.unknown_fields.push_back(child);
        drop.emplace_back(k);
      }
    }
    if (prune_)
      for (const auto& k : drop)
        o.erase(k);
    if (auto* req = schema.if_contains("required"); req && req->is_array())
      for (const auto& r : req->as_array())
        if (r.is_string() && !o.contains(r.as_string()))
          out_.causes.push_back({"FieldValueRequired", "Required value",
                                 path.empty() ? std::string(r.as_string())
                                              : path + "." + std::string(r.as_string())});
    for (const char* combinator : {"oneOf", "anyOf"}) {
      auto* alts = schema.if_contains(combinator);
      if (!alts || !alts->is_array())
        continue;
      std::size_t satisfied = 0;
      std::string names;
      for (const auto& alt : alts->as_array()) {
        if (!alt.is_object())
          continue;
        auto* req = alt.as_object().if_contains("required");
        bool all = req && req->is_array();
        if (all)
          for (const auto& r : req->as_array()) {
            all = all && r.is_string() && o.contains(r.as_string());
            if (!names.empty())
              names += ", ";
            names += r.is_string() ? std::string(r.as_string()) : "";
          }
        satisfied += all ? 1 : 0;
      }
      bool ok = std::string_view(combinator) == "oneOf" ? satisfied == 1 : satisfied >= 1;
      if (!ok)
        out_.causes.push_back(
            {"FieldValueInvalid",
             "Invalid value: \"object\": " + path + " in body must specify " +
                 (std::string_view(combinator) == "oneOf" ? "exactly one" : "one") +
                 " of: " + names,
             path});
    }
  }

  bool prune_;
  ValidationResult& out_;
  const json::object* old_root_;
};

}  // namespace

void check_metadata(json::object& object, bool prune, ValidationResult& result) {
  static const char* const known[] = {"name",
                                      "generateName",
                                      "namespace",
                                      "selfLink",
                                      "uid",
                                      "resourceVersion",
                                      "generation",
                                      "creationTimestamp",
                                      "deletionTimestamp",
                                      "deletionGracePeriodSeconds",
                                      "labels",
                                      "annotations",
                                      "ownerReferences",
                                      "finalizers",
                                      "managedFields"};
  auto* m = object.if_contains("metadata");
  if (!m || !m->is_object())
    return;
  std::vector<std::string> drop;
  for (const auto& kv : m->as_object()) {
    bool ok = false;
    for (const char* k : known)
      ok = ok || kv.key() == k;
    if (!ok) {
      result.unknown_fields.push_back("metadata." + std::string(kv.key()));
      drop.emplace_back(kv.key());
    }
  }
  if (prune)
    for (const auto& k : drop)
      m->as_object().erase(k);
  for (const char* map : {"labels", "annotations"}) {
    auto* v = m->as_object().if_contains(map);
    if (!v || v->is_null())
      continue;
    bool ok = v->is_object();
    if (ok)
      for (const auto& kv : v->as_object())
        ok = ok && kv.value().is_string();
    if (!ok)
      result.causes.push_back(
          {"FieldValueTypeInvalid",
           "Invalid value: " + json::serialize(*v).substr(0, 60) + ": must be a map of strings",
           std::string("metadata.") + map});
  }
  if (auto* f = m->as_object().if_contains("finalizers"); f && !f->is_null()) {
    bool ok = f->is_array();
    if (ok)
      for (const auto& x : f->as_array())
        ok = ok && x.is_string();
    if (!ok)
      result.causes.push_back(
          {"FieldValueTypeInvalid",
           "Invalid value: " + json::serialize(*f).substr(0, 60) + ": must be a list of strings",
           "metadata.finalizers"});
  }
}

ValidationResult validate_custom(json::object& object, const json::value& schema, bool prune,
                                 const json::object* old) {
  ValidationResult result;
  check_metadata(object, prune, result);
  json::value whole = std::move(object);
  Validator(prune, result, old).check(whole, schema, "");
  object = std::move(whole.as_object());
  return result;
}

std::string invalid_message(std::string_view qualified_kind, std::string_view name,
                            const std::vector<Cause>& causes) {
  std::string msg = std::string(qualified_kind) + " \"" + std::string(name) + "\" is invalid: ";
  if (causes.size() > 1)
    msg += '[';
  for (std::size_t i = 0; i < causes.size(); ++i) {
    if (i)
      msg += ", ";
    msg += causes[i].field + ": " + causes[i].message;
  }
  if (causes.size() > 1)
    msg += ']';
  return msg;
}

}  // namespace certmill::kubesim
