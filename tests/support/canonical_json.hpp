// JSON compared by meaning: object keys sorted, insignificant whitespace
// dropped. Lets a test check that encoding kept every field of a manifest
// without depending on the order the encoder writes them in.
#pragma once

#include <algorithm>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <simdjson.h>

namespace certmill::test {

inline std::string json_quoted(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\')
      out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

inline std::string canonical_json(simdjson::dom::element e) {
  switch (e.type()) {
    case simdjson::dom::element_type::OBJECT: {
      std::vector<std::pair<std::string, std::string>> members;
      // Held by value: value_unsafe() refers into the temporary result, which
      // is gone before a range-for over it begins.
      const simdjson::dom::object object = e.get_object().value_unsafe();
      for (auto [key, value] : object)
        members.emplace_back(std::string(key), canonical_json(value));
      std::sort(members.begin(), members.end());
      std::string out = "{";
      for (const auto& [key, value] : members) {
        out += (out.size() > 1 ? "," : "") + json_quoted(key) + ":" + value;
      }
      return out + "}";
    }
    case simdjson::dom::element_type::ARRAY: {
      std::string out = "[";
      const simdjson::dom::array array = e.get_array().value_unsafe();
      for (auto item : array)
        out += (out.size() > 1 ? "," : "") + canonical_json(item);
      return out + "]";
    }
    default:
      return simdjson::minify(e);
  }
}

inline std::string canonical_json(std::string_view text) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(simdjson::padded_string(text)).get(root) != simdjson::SUCCESS)
    throw std::runtime_error("canonical_json: not JSON");
  return canonical_json(root);
}

}  // namespace certmill::test
