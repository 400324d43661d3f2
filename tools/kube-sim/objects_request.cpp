// Decoding what a request to the object API sent: its body, its media type and
// its numeric and selector parameters.
#include "tools/kube-sim/objects_internal.hpp"
#include "tools/kube-sim/protobuf.hpp"
#include "tools/kube-sim/yaml.hpp"

namespace certmill::kubesim {

namespace json = boost::json;

bool parse_selectors(const std::string& label_text, const std::string& field_text, bool builtin,
                     std::optional<Selector>& labels, std::optional<Selector>& fields,
                     std::string& error) {
  labels = parse_label_selector(label_text, error);
  if (!labels)
    return false;
  std::vector<std::string> allowed;
  if (!builtin)
    allowed = {"metadata.name", "metadata.namespace"};
  fields = parse_field_selector(field_text, allowed, error);
  return fields.has_value();
}

std::string base_type(std::string_view content_type) {
  std::string s(content_type.substr(0, content_type.find(';')));
  while (!s.empty() && s.back() == ' ')
    s.pop_back();
  return s;
}

bool parse_object(const std::string& body, std::string_view content_type, const ResourceType& t,
                  json::object& out, Response& error) {
  json::error_code ec;
  json::value v;
  if (content_type.starts_with("application/vnd.kubernetes.protobuf")) {
    std::string why;
    if (!protobuf_supported(t) || !protobuf_to_json(body, t, out, why)) {
      error = bad_request(why.empty() ? "protobuf bodies are not supported for " + t.plural : why);
      return false;
    }
    return true;
  }
  if (content_type.find("yaml") != std::string_view::npos) {
    std::string why;
    if (!yaml_to_json(body, v, why)) {
      error = bad_request("error converting YAML to JSON: " + why);
      return false;
    }
    if (!v.is_object()) {
      error = bad_request("the object provided is unrecognized (must be of type " + t.kind +
                          "): couldn't get version/kind; json parse error: not a JSON object");
      return false;
    }
    out = std::move(v.as_object());
    return true;
  }
  v = json::parse(body, ec);
  if (ec || !v.is_object()) {
    std::string shown = body.size() > 200 ? body.substr(0, 200) + "..." : body;
    error =
        bad_request("the object provided is unrecognized (must be of type " + t.kind +
                    "): couldn't get version/kind; json parse error: " +
                    (ec ? ec.message() : std::string("not a JSON object")) + " (" + shown + ")");
    return false;
  }
  out = std::move(v.as_object());
  return true;
}

bool uint_param(const std::string& text, std::uint64_t& out) {
  if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string::npos)
    return false;
  out = std::stoull(text);
  return true;
}

}  // namespace certmill::kubesim
