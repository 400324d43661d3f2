// YAML to JSON through yaml-cpp. yaml-cpp reports errors by exception; they
// stop here and become Errors.
#include "k8s/yaml.hpp"

#include <charconv>
#include <regex>
#include <yaml-cpp/yaml.h>

#include "core/json/writer.hpp"

namespace certmill::k8s {
namespace {

// Past this depth a document is refused: no Kubernetes object nests this deep,
// and the conversion recurses.
constexpr int kMaxDepth = 100;

bool is_int(const std::string& s) {
  static const std::regex re("[-+]?(0|[1-9][0-9]*)");
  return std::regex_match(s, re);
}

bool is_float(const std::string& s) {
  static const std::regex re(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
  return std::regex_match(s, re);
}

Status convert(const YAML::Node& node, json::JsonWriter& out, int depth) {
  if (depth > kMaxDepth) {
    return Error(Errc::invalid_value, "YAML nests deeper than " + std::to_string(kMaxDepth) +
                                          " levels at line " +
                                          std::to_string(node.Mark().line + 1));
  }
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      out.null();
      return {};
    case YAML::NodeType::Sequence:
      out.begin_array();
      for (const auto& item : node) {
        if (Status s = convert(item, out, depth + 1); !s)
          return s;
      }
      out.end_array();
      return {};
    case YAML::NodeType::Map:
      out.begin_object();
      for (const auto& entry : node) {
        if (!entry.first.IsScalar()) {
          return Error(Errc::invalid_value, "YAML map key at line " +
                                                std::to_string(entry.first.Mark().line + 1) +
                                                " is not a string");
        }
        out.key(entry.first.Scalar());
        if (Status s = convert(entry.second, out, depth + 1); !s)
          return s;
      }
      out.end_object();
      return {};
    case YAML::NodeType::Scalar: {
      const std::string& text = node.Scalar();
      if (node.Tag() != "?") {  // quoted or explicitly tagged: a string
        out.string(text);
      } else if (text == "null" || text == "Null" || text == "NULL" || text == "~") {
        out.null();
      } else if (text == "true" || text == "True" || text == "TRUE") {
        out.boolean(true);
      } else if (text == "false" || text == "False" || text == "FALSE") {
        out.boolean(false);
      } else if (is_int(text) || is_float(text)) {
        out.raw(text.front() == '+' ? text.substr(1) : text);
      } else {
        out.string(text);
      }
      return {};
    }
  }
  return {};
}

Error yaml_error(const YAML::Exception& e) {
  return Error(Errc::invalid_value, "invalid YAML at line " + std::to_string(e.mark.line + 1) +
                                        ", column " + std::to_string(e.mark.column + 1) + ": " +
                                        e.msg);
}

}  // namespace

Result<std::string> yaml_to_json(std::string_view yaml) {
  try {
    const YAML::Node root = YAML::Load(std::string(yaml));
    json::JsonWriter out;
    if (Status s = convert(root, out, 0); !s)
      return s.error();
    return out.take();
  } catch (const YAML::Exception& e) {
    return yaml_error(e);
  }
}

Result<std::vector<std::string>> yaml_documents_to_json(std::string_view yaml) {
  try {
    std::vector<std::string> docs;
    for (const YAML::Node& doc : YAML::LoadAll(std::string(yaml))) {
      if (doc.IsNull())
        continue;
      json::JsonWriter out;
      if (Status s = convert(doc, out, 0); !s)
        return s.error();
      docs.push_back(out.take());
    }
    return docs;
  } catch (const YAML::Exception& e) {
    return yaml_error(e);
  }
}

}  // namespace certmill::k8s
