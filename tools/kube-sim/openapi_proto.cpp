// Encodes an OpenAPI v2 JSON document as gnostic's openapi.v2.Document. The
// field numbers below are OpenAPIv2.proto's; a JSON key with no field in the
// message is left out, as gnostic's own compiler leaves it out.
#include "tools/kube-sim/openapi_proto.hpp"

#include <cstdint>
#include <cstring>

namespace certmill::kubesim {

namespace json = boost::json;

namespace {

// Protocol Buffers' wire format: a key (field number and wire type), then a
// varint, eight little-endian bytes, or a length and that many bytes.
class Message {
 public:
  void varint(std::uint32_t field, std::uint64_t v) {
    key(field, 0);
    put_varint(v);
  }
  void boolean(std::uint32_t field, bool v) {
    if (v)
      varint(field, 1);
  }
  void number(std::uint32_t field, double v) {
    key(field, 1);
    std::uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    for (int i = 0; i < 8; ++i)
      out_.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
  }
  void bytes(std::uint32_t field, std::string_view v) {
    key(field, 2);
    put_varint(v.size());
    out_.append(v);
  }
  void message(std::uint32_t field, const Message& m) { bytes(field, m.out_); }
  const std::string& data() const { return out_; }

 private:
  void key(std::uint32_t field, std::uint32_t wire_type) { put_varint((field << 3) | wire_type); }
  void put_varint(std::uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
  }
  std::string out_;
};

const json::value* field(const json::object& o, std::string_view key) {
  return o.if_contains(key);
}

void string_field(Message& m, std::uint32_t number, const json::object& o, std::string_view key) {
  if (auto* v = field(o, key); v && v->is_string())
    m.bytes(number, v->as_string());
}

void strings_field(Message& m, std::uint32_t number, const json::object& o, std::string_view key) {
  if (auto* v = field(o, key); v && v->is_array())
    for (const auto& s : v->as_array())
      if (s.is_string())
        m.bytes(number, s.as_string());
}

void bool_field(Message& m, std::uint32_t number, const json::object& o, std::string_view key) {
  if (auto* v = field(o, key); v && v->is_bool())
    m.boolean(number, v->as_bool());
}

void int_field(Message& m, std::uint32_t number, const json::object& o, std::string_view key) {
  if (auto* v = field(o, key); v && v->is_number())
    m.varint(number, static_cast<std::uint64_t>(v->to_number<std::int64_t>()));
}

void double_field(Message& m, std::uint32_t number, const json::object& o, std::string_view key) {
  if (auto* v = field(o, key); v && v->is_number())
    m.number(number, v->to_number<double>());
}

// gnostic's Any: the value's text in field 2 (yaml), which JSON is a form of.
Message any(const json::value& v) {
  Message m;
  m.bytes(2, json::serialize(v));
  return m;
}

void any_field(Message& m, std::uint32_t number, const json::object& o, std::string_view key) {
  if (auto* v = field(o, key))
    m.message(number, any(*v));
}

// NamedAny entries for every x- key.
void vendor_extensions(Message& m, std::uint32_t number, const json::object& o) {
  for (const auto& [key, value] : o) {
    if (!key.starts_with("x-"))
      continue;
    Message named;
    named.bytes(1, key);
    named.message(2, any(value));
    m.message(number, named);
  }
}

Message schema(const json::object& s);

void schema_field(Message& m, std::uint32_t number, const json::value& v) {
  if (v.is_object())
    m.message(number, schema(v.as_object()));
}

// Properties and Definitions: NamedSchema entries (name 1, schema 2) in field 1.
Message named_schemas(const json::object& schemas) {
  Message m;
  for (const auto& [name, child] : schemas) {
    Message named;
    named.bytes(1, name);
    schema_field(named, 2, child);
    m.message(1, named);
  }
  return m;
}

Message schema(const json::object& s) {
  Message m;
  string_field(m, 1, s, "$ref");
  string_field(m, 2, s, "format");
  string_field(m, 3, s, "title");
  string_field(m, 4, s, "description");
  any_field(m, 5, s, "default");
  double_field(m, 6, s, "multipleOf");
  double_field(m, 7, s, "maximum");
  bool_field(m, 8, s, "exclusiveMaximum");
  double_field(m, 9, s, "minimum");
  bool_field(m, 10, s, "exclusiveMinimum");
  int_field(m, 11, s, "maxLength");
  int_field(m, 12, s, "minLength");
  string_field(m, 13, s, "pattern");
  int_field(m, 14, s, "maxItems");
  int_field(m, 15, s, "minItems");
  bool_field(m, 16, s, "uniqueItems");
  int_field(m, 17, s, "maxProperties");
  int_field(m, 18, s, "minProperties");
  strings_field(m, 19, s, "required");
  if (auto* e = field(s, "enum"); e && e->is_array())
    for (const auto& value : e->as_array())
      m.message(20, any(value));
  if (auto* a = field(s, "additionalProperties")) {
    Message item;  // AdditionalPropertiesItem: a schema (1) or a boolean (2)
    if (a->is_bool())
      item.varint(2, a->as_bool() ? 1 : 0);
    else
      schema_field(item, 1, *a);
    m.message(21, item);
  }
  if (auto* t = field(s, "type")) {
    Message type;  // TypeItem
    if (t->is_string())
      type.bytes(1, t->as_string());
    else
      strings_field(type, 1, s, "type");
    m.message(22, type);
  }
  if (auto* i = field(s, "items")) {
    Message items;  // ItemsItem: one schema, or a tuple of them
    if (i->is_array())
      for (const auto& one : i->as_array())
        schema_field(items, 1, one);
    else
      schema_field(items, 1, *i);
    m.message(23, items);
  }
  if (auto* p = field(s, "properties"); p && p->is_object())
    m.message(25, named_schemas(p->as_object()));
  bool_field(m, 27, s, "readOnly");
  any_field(m, 30, s, "example");
  vendor_extensions(m, 31, s);
  return m;
}

// ParametersItem { Parameter { BodyParameter | NonBodyParameter { ... } } }
Message parameter(const json::object& p) {
  Message inner;
  Message parameter;
  const auto* in = field(p, "in");
  if (in && in->is_string() && in->as_string() == "body") {
    string_field(inner, 1, p, "description");
    string_field(inner, 2, p, "name");
    string_field(inner, 3, p, "in");
    bool_field(inner, 4, p, "required");
    if (auto* s = field(p, "schema"))
      schema_field(inner, 5, *s);
    vendor_extensions(inner, 6, p);
    parameter.message(1, inner);
  } else {
    // Query (3) and path (4) sub-schemas share their first fields' numbers.
    const bool path = in && in->is_string() && in->as_string() == "path";
    bool_field(inner, 1, p, "required");
    string_field(inner, 2, p, "in");
    string_field(inner, 3, p, "description");
    string_field(inner, 4, p, "name");
    string_field(inner, path ? 5 : 6, p, "type");
    bool_field(inner, path ? 19 : 20, p, "uniqueItems");
    Message non_body;
    non_body.message(path ? 4 : 3, inner);
    parameter.message(2, non_body);
  }
  Message item;
  item.message(1, parameter);
  return item;
}

void parameters_field(Message& m, std::uint32_t number, const json::object& o) {
  if (auto* ps = field(o, "parameters"); ps && ps->is_array())
    for (const auto& p : ps->as_array())
      if (p.is_object())
        m.message(number, parameter(p.as_object()));
}

Message operation(const json::object& op) {
  Message m;
  string_field(m, 3, op, "description");
  string_field(m, 5, op, "operationId");
  strings_field(m, 6, op, "produces");
  strings_field(m, 7, op, "consumes");
  parameters_field(m, 8, op);
  if (auto* rs = field(op, "responses"); rs && rs->is_object()) {
    Message responses;
    for (const auto& [code, r] : rs->as_object()) {
      if (!r.is_object())
        continue;
      Message response;
      string_field(response, 1, r.as_object(), "description");
      if (auto* s = field(r.as_object(), "schema")) {
        Message item;  // SchemaItem: a schema (1)
        schema_field(item, 1, *s);
        response.message(2, item);
      }
      Message value;  // ResponseValue: a response (1)
      value.message(1, response);
      Message named;
      named.bytes(1, code);
      named.message(2, value);
      responses.message(1, named);
    }
    m.message(9, responses);
  }
  strings_field(m, 10, op, "schemes");
  vendor_extensions(m, 13, op);
  return m;
}

Message path_item(const json::object& item) {
  static constexpr std::pair<std::string_view, std::uint32_t> kMethods[] = {
      {"get", 2},     {"put", 3},  {"post", 4}, {"delete", 5},
      {"options", 6}, {"head", 7}, {"patch", 8}};
  Message m;
  for (const auto& [method, number] : kMethods)
    if (auto* op = field(item, method); op && op->is_object())
      m.message(number, operation(op->as_object()));
  parameters_field(m, 9, item);
  vendor_extensions(m, 10, item);
  return m;
}

}  // namespace

std::string openapi_v2_protobuf(const json::object& document) {
  Message doc;
  string_field(doc, 1, document, "swagger");
  if (auto* info = field(document, "info"); info && info->is_object()) {
    Message m;
    string_field(m, 1, info->as_object(), "title");
    string_field(m, 2, info->as_object(), "version");
    doc.message(2, m);
  }
  if (auto* paths = field(document, "paths"); paths && paths->is_object()) {
    Message m;
    for (const auto& [path, item] : paths->as_object()) {
      if (!item.is_object())
        continue;
      Message named;
      named.bytes(1, path);
      named.message(2, path_item(item.as_object()));
      m.message(2, named);
    }
    doc.message(8, m);
  }
  if (auto* defs = field(document, "definitions"); defs && defs->is_object())
    doc.message(9, named_schemas(defs->as_object()));
  vendor_extensions(doc, 16, document);
  return doc.data();
}

}  // namespace certmill::kubesim
