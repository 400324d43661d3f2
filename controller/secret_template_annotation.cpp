// Strict decoding of the secret-template annotation with simdjson: the API
// codecs skip unknown fields, which here must be refused.
#include "controller/secret_template_annotation.hpp"

#include <string>

#include <simdjson.h>

namespace certmill::controller {

namespace {

namespace dom = simdjson::dom;

// How Go's encoding/json names a JSON value's type in its errors.
const char* go_type(dom::element_type type) {
  switch (type) {
    case dom::element_type::ARRAY:
      return "array";
    case dom::element_type::OBJECT:
      return "object";
    case dom::element_type::STRING:
      return "string";
    case dom::element_type::BOOL:
      return "bool";
    case dom::element_type::NULL_VALUE:
      return "null";
    default:
      return "number";
  }
}

Error parse_error(const std::string& why) {
  return Error(Errc::invalid_value, "error parsing secret template JSON: " + why);
}

Error wrong_type(dom::element value, const std::string& field, const char* want) {
  return parse_error("json: cannot unmarshal " + std::string(go_type(value.type())) +
                     " into Go struct field CertificateSecretTemplate." + field + " of type " +
                     want);
}

// A map[string]string field; null leaves it empty, as Go does.
Status read_map(dom::element value, const std::string& field, api::StringMap& out) {
  if (value.is_null())
    return {};
  dom::object object;
  if (value.get(object) != simdjson::SUCCESS)
    return wrong_type(value, field, "map[string]string");
  for (auto [key, entry] : object) {
    std::string_view text;
    if (entry.get(text) != simdjson::SUCCESS)
      return wrong_type(entry, field, "string");
    out[std::string(key)] = std::string(text);
  }
  return {};
}

}  // namespace

Result<std::optional<api::SecretTemplate>> parse_secret_template(std::string_view json) {
  dom::parser parser;
  const simdjson::padded_string padded(json);
  dom::element root;
  if (auto error = parser.parse(padded).get(root); error != simdjson::SUCCESS)
    return parse_error(simdjson::error_message(error));
  dom::object object;
  if (root.get(object) != simdjson::SUCCESS) {
    return parse_error("json: cannot unmarshal " + std::string(go_type(root.type())) +
                       " into Go value of type v1.CertificateSecretTemplate");
  }
  api::SecretTemplate out;
  for (auto [key, value] : object) {
    Status read;
    if (key == "annotations")
      read = read_map(value, "annotations", out.annotations);
    else if (key == "labels")
      read = read_map(value, "labels", out.labels);
    else
      return parse_error("json: unknown field \"" + std::string(key) + "\"");
    if (!read)
      return read.error();
  }
  for (const auto& [key, value] : out.annotations) {
    if (key.starts_with("cert-manager.io/"))
      return Error(Errc::invalid_value,
                   "secretTemplate must not have cert-manager.io/ annotations: \"" + key + "\"");
  }
  if (out.annotations.empty() && out.labels.empty())
    return std::optional<api::SecretTemplate>();
  return std::optional<api::SecretTemplate>(std::move(out));
}

}  // namespace certmill::controller
