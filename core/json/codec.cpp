// Scalar codecs and the per-thread parser behind the schema-driven codec.
#include "core/json/codec.hpp"

#include "core/base64.hpp"

namespace certmill::json {
namespace {

// Larger documents are refused before parsing: a LIST page from the API server
// is a few MiB, and the client pages big lists.
constexpr std::size_t kMaxDocument = 256u << 20;

Error value_error(const Path& path, const Error& cause) {
  return Error(cause.code(), path.str() + ": " + cause.message());
}

}  // namespace

std::string_view type_name(Element e) {
  switch (e.type()) {
    case simdjson::dom::element_type::ARRAY:
      return "array";
    case simdjson::dom::element_type::OBJECT:
      return "object";
    case simdjson::dom::element_type::INT64:
    case simdjson::dom::element_type::UINT64:
    case simdjson::dom::element_type::DOUBLE:
      return "number";
    case simdjson::dom::element_type::STRING:
      return "string";
    case simdjson::dom::element_type::BOOL:
      return "boolean";
    case simdjson::dom::element_type::NULL_VALUE:
      return "null";
  }
  return "unknown";
}

Error type_error(const Path& path, std::string_view expected, Element e) {
  return Error(Errc::wrong_type, path.str() + ": expected " + std::string(expected) + ", got " +
                                     std::string(type_name(e)));
}

Status check_identity(const Path& path, std::string_view name, Element value,
                      std::string_view expected) {
  std::string_view text;
  if (value.get(text) != simdjson::SUCCESS)
    return type_error(path.key(name), "string", value);
  if (text != expected) {
    return Error(Errc::wrong_kind, path.key(name).str() + ": expected \"" + std::string(expected) +
                                       "\", got \"" + std::string(text) + "\"");
  }
  return {};
}

Status decode_bookmark(Element object, const Path& path, std::string_view api_version,
                       std::string_view kind, std::string& resource_version) {
  simdjson::dom::object fields;
  if (object.get(fields) != simdjson::SUCCESS)
    return type_error(path, "object", object);
  Element value;
  if (fields["apiVersion"].get(value) == simdjson::SUCCESS && !value.is_null()) {
    if (Status s = check_identity(path, "apiVersion", value, api_version); !s)
      return s;
  }
  if (fields["kind"].get(value) == simdjson::SUCCESS && !value.is_null()) {
    if (Status s = check_identity(path, "kind", value, kind); !s)
      return s;
  }
  const Path metadata = path.key("metadata");
  const Path rv = metadata.key("resourceVersion");
  Element meta;
  if (fields["metadata"].get(meta) != simdjson::SUCCESS || meta.is_null())
    return Error(Errc::missing_field, rv.str() + ": required field is missing");
  simdjson::dom::object meta_fields;
  if (meta.get(meta_fields) != simdjson::SUCCESS)
    return type_error(metadata, "object", meta);
  if (meta_fields["resourceVersion"].get(value) != simdjson::SUCCESS || value.is_null())
    return Error(Errc::missing_field, rv.str() + ": required field is missing");
  return decode_value(value, rv, resource_version);
}

Status decode_value(Element e, const Path& path, std::string& out) {
  std::string_view text;
  if (e.get(text) != simdjson::SUCCESS)
    return type_error(path, "string", e);
  out.assign(text);
  return {};
}

Status decode_value(Element e, const Path& path, bool& out) {
  if (e.get(out) != simdjson::SUCCESS)
    return type_error(path, "boolean", e);
  return {};
}

Status decode_value(Element e, const Path& path, int64_t& out) {
  if (e.get(out) == simdjson::SUCCESS)
    return {};
  if (e.is_number()) {
    return Error(Errc::invalid_value, path.str() + ": expected an integer in the int64 range");
  }
  return type_error(path, "integer", e);
}

Status decode_value(Element e, const Path& path, int32_t& out) {
  int64_t wide = 0;
  if (Status s = decode_value(e, path, wide); !s)
    return s;
  if (wide < std::numeric_limits<int32_t>::min() || wide > std::numeric_limits<int32_t>::max()) {
    return Error(Errc::invalid_value,
                 path.str() + ": " + std::to_string(wide) + " is outside the int32 range");
  }
  out = static_cast<int32_t>(wide);
  return {};
}

Status decode_value(Element e, const Path& path, Duration& out) {
  std::string_view text;
  if (e.get(text) != simdjson::SUCCESS)
    return type_error(path, "duration string", e);
  auto d = parse_duration(text);
  if (!d)
    return value_error(path, d.error());
  out = *d;
  return {};
}

Status decode_value(Element e, const Path& path, MicroTime& out) {
  std::string_view text;
  if (e.get(text) != simdjson::SUCCESS)
    return type_error(path, "timestamp string", e);
  auto t = parse_rfc3339(text);
  if (!t)
    return value_error(path, t.error());
  out = *t;
  return {};
}

Status decode_value(Element e, const Path& path, Time& out) {
  MicroTime precise;
  if (Status s = decode_value(e, path, precise); !s)
    return s;
  out = std::chrono::floor<std::chrono::seconds>(precise);
  return {};
}

Status decode_value(Element e, const Path& path, Bytes& out) {
  std::string_view text;
  if (e.get(text) != simdjson::SUCCESS)
    return type_error(path, "base64 string", e);
  auto bytes = base64_decode(text);
  if (!bytes)
    return value_error(path, bytes.error());
  out.data = std::move(*bytes);
  return {};
}

Status decode_value(Element e, const Path&, RawJson& out) {
  out.text = simdjson::minify(e);
  return {};
}

void encode_value(JsonWriter& w, const std::string& v) {
  w.string(v);
}
void encode_value(JsonWriter& w, bool v) {
  w.boolean(v);
}
void encode_value(JsonWriter& w, int32_t v) {
  w.number(v);
}
void encode_value(JsonWriter& w, int64_t v) {
  w.number(v);
}
void encode_value(JsonWriter& w, Duration v) {
  w.string(format_duration(v));
}
void encode_value(JsonWriter& w, Time v) {
  w.string(format_time(v));
}
void encode_value(JsonWriter& w, MicroTime v) {
  w.string(format_micro_time(v));
}
void encode_value(JsonWriter& w, const Bytes& v) {
  w.string(base64_encode(v.data));
}
void encode_value(JsonWriter& w, const RawJson& v) {
  w.raw(v.text.empty() ? "null" : v.text);
}

api::InvalidObject invalid_object(Element object, Error error) {
  api::InvalidObject out{{}, {}, {}, std::move(error)};
  Element metadata;
  if (object["metadata"].get(metadata) != simdjson::SUCCESS)
    return out;
  std::string_view text;
  if (metadata["namespace"].get(text) == simdjson::SUCCESS)
    out.namespace_ = text;
  if (metadata["name"].get(text) == simdjson::SUCCESS)
    out.name = text;
  if (metadata["resourceVersion"].get(text) == simdjson::SUCCESS)
    out.resource_version = text;
  if (metadata["uid"].get(text) == simdjson::SUCCESS)
    out.uid = text;
  return out;
}

Result<Element> parse_document(std::string_view json) {
  if (json.size() > kMaxDocument) {
    return Error(Errc::invalid_json, "document of " + std::to_string(json.size()) +
                                         " bytes is larger than the limit of " +
                                         std::to_string(kMaxDocument));
  }
  // simdjson reads a few bytes past the end: parse from a padded copy that
  // each thread keeps, so decoding allocates nothing once warm.
  thread_local simdjson::dom::parser parser;
  thread_local std::string buffer;
  // A list page grows the parser to several times its size; kept for good,
  // that is megabytes per thread for a document seen once at start-up.
  // Small documents (watch events, a few KiB) give it back.
  constexpr std::size_t kKeep = 64u << 10;
  if (parser.capacity() > kKeep && json.size() < kKeep / 4) {
    parser = simdjson::dom::parser();
    buffer = std::string();
  }
  buffer.resize(json.size() + simdjson::SIMDJSON_PADDING);
  std::copy(json.begin(), json.end(), buffer.begin());
  Element root;
  if (auto err = parser.parse(buffer.data(), json.size(), false).get(root); err) {
    return Error(Errc::invalid_json, std::string("invalid JSON: ") + simdjson::error_message(err));
  }
  return root;
}

}  // namespace certmill::json
