// Built-in kind rules.
#include "tools/kube-sim/builtins.hpp"

#include <regex>

#include "tools/kube-sim/meta.hpp"
#include "tools/kube-sim/status.hpp"
#include "tools/kube-sim/validation.hpp"

namespace certmill::kubesim {

namespace json = boost::json;

namespace {

// Position of the first byte that is not standard base64, or -1.
long bad_base64_at(std::string_view s) {
  std::size_t n = s.size();
  for (std::size_t i = 0; i < n; ++i) {
    char c = s[i];
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/';
    if (c == '=' && i + 2 >= n && n % 4 == 0)
      ok = true;
    if (!ok)
      return static_cast<long>(i);
  }
  if (n % 4 != 0)
    return static_cast<long>(n - n % 4);
  return -1;
}

std::string base64(std::string_view in) {
  static const char* const t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                 (static_cast<unsigned char>(in[i + 1]) << 8) |
                 static_cast<unsigned char>(in[i + 2]);
    out += t[v >> 18];
    out += t[(v >> 12) & 63];
    out += t[(v >> 6) & 63];
    out += t[v & 63];
  }
  if (i < in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size())
      v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += t[v >> 18];
    out += t[(v >> 12) & 63];
    out += i + 1 < in.size() ? t[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

Response invalid(const ResourceType& type, const json::object& object, std::vector<Cause> causes) {
  std::string name = meta_string(object, "name");
  StatusDetails d;
  d.present = true;
  d.name = name;
  d.group = type.group;
  d.kind = type.kind;
  d.causes = causes;
  return status_response(422, "Invalid",
                         invalid_message(qualified(type.kind, type.group), name, causes), d);
}

Response bad_request(const ResourceType& type, const std::string& why) {
  return status_response(400, "BadRequest",
                         type.kind + " in version \"" + type.version +
                             "\" cannot be handled as a " + type.kind + ": " + why);
}

std::string str(const json::object& o, std::string_view k) {
  auto* v = o.if_contains(k);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

bool has_generation(const ResourceType& t) {
  return !t.builtin || t.plural == "customresourcedefinitions" || t.plural == "ingresses" ||
         t.plural == "gateways" || t.plural == "httproutes";
}

std::optional<Response> check_builtin(const ResourceType& type, json::object& object,
                                      const json::object* current) {
  if (type.plural == "secrets") {
    json::object data;
    if (auto* d = object.if_contains("data"); d && d->is_object()) {
      for (const auto& [k, v] : d->as_object()) {
        if (!v.is_string())
          return bad_request(type, "data values must be base64 strings");
        if (long at = bad_base64_at(v.as_string()); at >= 0)
          return bad_request(type, "illegal base64 data at input byte " + std::to_string(at));
        data.emplace(k, v);
      }
    }
    if (auto* sd = object.if_contains("stringData"); sd && sd->is_object()) {
      for (const auto& [k, v] : sd->as_object())
        if (v.is_string())
          data[k] = base64(v.as_string());
      object.erase("stringData");
    }
    if (object.contains("data") || !data.empty())
      object["data"] = std::move(data);
    if (str(object, "type").empty())
      object["type"] = "Opaque";
    if (str(object, "type") == "kubernetes.io/tls") {
      std::vector<Cause> causes;
      for (const char* k : {"tls.crt", "tls.key"})
        if (!object.at("data").as_object().contains(k))
          causes.push_back(
              {"FieldValueRequired", "Required value", std::string("data[") + k + "]"});
      if (!causes.empty())
        return invalid(type, object, causes);
    }
    if (current && str(*current, "type") != str(object, "type"))
      return invalid(
          type, object,
          {{"FieldValueInvalid",
            "Invalid value: \"" + str(object, "type") + "\": field is immutable", "type"}});
  }
  if (type.plural == "events") {
    if (auto* io = object.if_contains("involvedObject"); io && io->is_object()) {
      std::string ns = str(io->as_object(), "namespace");
      std::string own = meta_string(object, "namespace");
      if (!ns.empty() && ns != own)
        return invalid(
            type, object,
            {{"FieldValueInvalid", "Invalid value: \"" + ns + "\": does not match event.namespace",
              "involvedObject.namespace"}});
    }
  }
  if (type.plural == "leases") {
    static const std::regex micro(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$)");
    if (auto* spec = object.if_contains("spec"); spec && spec->is_object()) {
      for (const char* k : {"acquireTime", "renewTime"}) {
        auto* v = spec->as_object().if_contains(k);
        if (!v || v->is_null())
          continue;
        std::string s = v->is_string() ? std::string(v->as_string()) : json::serialize(*v);
        if (!std::regex_match(s, micro))
          return bad_request(type, "parsing time \"" + s +
                                       "\" as \"2006-01-02T15:04:05.000000Z07:00\": cannot parse "
                                       "\"" +
                                       s + "\" as \"2006-01-02T15:04:05.000000Z07:00\"");
      }
    }
  }
  if (type.plural == "customresourcedefinitions") {
    auto* spec = object.if_contains("spec");
    std::vector<Cause> causes;
    if (!spec || !spec->is_object()) {
      causes.push_back({"FieldValueRequired", "Required value", "spec"});
    } else {
      const auto& s = spec->as_object();
      const json::object* names = nullptr;
      if (auto* n = s.if_contains("names"); n && n->is_object())
        names = &n->as_object();
      std::string plural = names ? str(*names, "plural") : "";
      if (str(s, "group").empty())
        causes.push_back({"FieldValueRequired", "Required value", "spec.group"});
      if (plural.empty())
        causes.push_back({"FieldValueRequired", "Required value", "spec.names.plural"});
      if (!names || str(*names, "kind").empty())
        causes.push_back({"FieldValueRequired", "Required value", "spec.names.kind"});
      std::string scope = str(s, "scope");
      if (scope != "Namespaced" && scope != "Cluster")
        causes.push_back(
            {"FieldValueNotSupported",
             "Unsupported value: \"" + scope + "\": supported values: \"Cluster\", \"Namespaced\"",
             "spec.scope"});
      auto* versions = s.if_contains("versions");
      if (!versions || !versions->is_array() || versions->as_array().empty())
        causes.push_back({"FieldValueRequired", "Required value", "spec.versions"});
      std::string expected = plural + "." + str(s, "group");
      if (causes.empty() && meta_string(object, "name") != expected)
        causes.push_back({"FieldValueInvalid",
                          "Invalid value: \"" + meta_string(object, "name") +
                              "\": must be spec.names.plural+\".\"+spec.group",
                          "metadata.name"});
    }
    if (!causes.empty())
      return invalid(type, object, causes);
  }
  return std::nullopt;
}

void default_builtin(const ResourceType& type, json::object& object) {
  if (type.plural == "namespaces") {
    auto& md = metadata_of(object);
    json::object labels;
    if (auto* l = md.if_contains("labels"); l && l->is_object())
      labels = l->as_object();
    labels["kubernetes.io/metadata.name"] = meta_string(object, "name");
    md["labels"] = std::move(labels);
    object["spec"] = json::object{{"finalizers", {"kubernetes"}}};
    object["status"] = json::object{{"phase", "Active"}};
  }
  if (type.plural == "events") {
    for (const char* k : {"firstTimestamp", "lastTimestamp", "eventTime"})
      if (!object.contains(k))
        object[k] = nullptr;
    if (!object.contains("source"))
      object["source"] = json::object();
    for (const char* k : {"reportingComponent", "reportingInstance"})
      if (!object.contains(k))
        object[k] = "";
  }
  if (type.plural == "customresourcedefinitions") {
    auto& spec = object["spec"].as_object();
    if (!spec.contains("conversion"))
      spec["conversion"] = json::object{{"strategy", "None"}};
    std::string now = now_rfc3339();
    json::array stored;
    for (const auto& v : spec["versions"].as_array())
      if (v.is_object())
        if (auto* s = v.as_object().if_contains("storage"); s && s->is_bool() && s->as_bool())
          stored.push_back(v.as_object().at("name"));
    json::object names = spec["names"].as_object();
    if (!names.contains("singular")) {
      std::string singular = str(names, "kind");
      for (auto& c : singular)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      names["singular"] = singular;
    }
    if (!names.contains("listKind"))
      names["listKind"] = str(names, "kind") + "List";
    object["status"] = json::object{{"conditions",
                                     {{{"type", "NamesAccepted"},
                                       {"status", "True"},
                                       {"lastTransitionTime", now},
                                       {"reason", "NoConflicts"},
                                       {"message", "no conflicts found"}},
                                      {{"type", "Established"},
                                       {"status", "True"},
                                       {"lastTransitionTime", now},
                                       {"reason", "InitialNamesAccepted"},
                                       {"message", "the initial names have been accepted"}}}},
                                    {"acceptedNames", names},
                                    {"storedVersions", stored}};
  }
}

}  // namespace certmill::kubesim
