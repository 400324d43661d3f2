// The OpenAPI v3 and v2 documents, and the /openapi/... paths that serve them.
#include "tools/kube-sim/openapi.hpp"

#include <functional>

#include "tools/kube-sim/api.hpp"
#include "tools/kube-sim/openapi_proto.hpp"
#include "tools/kube-sim/status.hpp"

namespace certmill::kubesim {

namespace json = boost::json;

namespace {

std::string hash_of(const std::string& text) {
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016zX", std::hash<std::string>{}(text));
  return buf;
}

json::object gvk(const ResourceType& t) {
  return json::object{{"group", t.group}, {"version", t.version}, {"kind", t.kind}};
}

// A kind without a schema of its own (the built-in kinds kube-sim serves
// schemaless) stands for any object.
json::object schema_of(const ResourceType& t) {
  return t.schema.is_object()
             ? t.schema.as_object()
             : json::object{{"type", "object"}, {"x-kubernetes-preserve-unknown-fields", true}};
}

std::string collection_path(const ResourceType& t) {
  std::string base = t.group.empty() ? "/api/" + t.version : "/apis/" + t.group_version();
  if (t.namespaced)
    base += "/namespaces/{namespace}";
  return base + "/" + t.plural;
}

// kube-apiserver sends OpenAPI documents with a sniffed content type and no
// trailing newline.
Response openapi_response(const json::value& doc) {
  Response r;
  r.content_type = "text/plain; charset=utf-8";
  r.body = json::serialize(doc);
  return r;
}

json::value v2_children(const json::value& v) {
  if (!v.is_object())
    return v;
  json::object out;
  for (const auto& [name, child] : v.as_object())
    out[name] = schema_to_v2(child);
  return out;
}

// v2's parameters: the path's own, then a body where the operation takes one.
json::array v2_path_parameters(const ResourceType& t, bool item) {
  json::array params;
  if (item)
    params.push_back(json::object{{"name", "name"},
                                  {"in", "path"},
                                  {"required", true},
                                  {"type", "string"},
                                  {"uniqueItems", true}});
  if (t.namespaced)
    params.push_back(json::object{{"name", "namespace"},
                                  {"in", "path"},
                                  {"required", true},
                                  {"type", "string"},
                                  {"uniqueItems", true}});
  params.push_back(
      json::object{{"name", "pretty"}, {"in", "query"}, {"type", "string"}, {"uniqueItems", true}});
  return params;
}

json::object v2_operation(const ResourceType& t, const char* action, const json::value& body,
                          bool has_definition) {
  json::object response{{"description", "OK"}};
  if (has_definition)
    response["schema"] = json::object{{"$ref", "#/definitions/" + schema_name(t)}};
  json::object op{
      {"consumes", {"*/*"}},           {"produces", {"application/json", "application/yaml"}},
      {"schemes", {"https"}},          {"responses", {{"200", response}}},
      {"x-kubernetes-action", action}, {"x-kubernetes-group-version-kind", gvk(t)}};
  if (!body.is_null())
    op["parameters"] = json::array{
        json::object{{"name", "body"}, {"in", "body"}, {"required", true}, {"schema", body}}};
  return op;
}

}  // namespace

std::string schema_name(const ResourceType& t) {
  const std::string group = t.group.empty() ? "core" : t.group;
  std::string reversed;
  std::size_t start = 0;
  while (true) {
    const auto dot = group.find('.', start);
    const std::string label = group.substr(start, dot == std::string::npos ? dot : dot - start);
    reversed.insert(0, label + ".");
    if (dot == std::string::npos)
      break;
    start = dot + 1;
  }
  return reversed + t.version + "." + t.kind;
}

json::object openapi_v3_document(const Registry& registry, const std::string& group,
                                 const std::string& version) {
  json::object paths;
  json::object schemas;
  const json::array query_params = {
      json::object{{"name", "dryRun"}, {"in", "query"}, {"schema", {{"type", "string"}}}},
      json::object{{"name", "fieldManager"}, {"in", "query"}, {"schema", {{"type", "string"}}}},
      json::object{{"name", "fieldValidation"}, {"in", "query"}, {"schema", {{"type", "string"}}}},
      json::object{{"name", "force"}, {"in", "query"}, {"schema", {{"type", "boolean"}}}}};
  for (const auto& t : registry.all()) {
    if (t->group != group || t->version != version)
      continue;
    const std::string name = schema_name(*t);
    json::object schema = schema_of(*t);
    schema["x-kubernetes-group-version-kind"] = json::array{gvk(*t)};
    schemas[name] = std::move(schema);
    const json::object ref{{"$ref", "#/components/schemas/" + name}};
    const json::object content{{"application/json", json::object{{"schema", ref}}}};
    auto op = [&](const char* action) {
      return json::object{{"x-kubernetes-action", action},
                          {"x-kubernetes-group-version-kind", gvk(*t)},
                          {"parameters", query_params},
                          {"responses", {{"200", {{"description", "OK"}, {"content", content}}}}}};
    };
    const std::string base = collection_path(*t);
    paths[base] = json::object{{"get", op("list")}, {"post", op("post")}};
    paths[base + "/{name}"] = json::object{
        {"get", op("get")}, {"put", op("put")}, {"patch", op("patch")}, {"delete", op("delete")}};
  }
  return json::object{{"openapi", "3.0.0"},
                      {"info", {{"title", "Kubernetes"}, {"version", "v1.26.4"}}},
                      {"paths", std::move(paths)},
                      {"components", {{"schemas", std::move(schemas)}}}};
}

json::value schema_to_v2(const json::value& schema) {
  if (!schema.is_object())
    return schema;
  const json::object& in = schema.as_object();
  auto is_true = [&](const char* key) {
    const json::value* v = in.if_contains(key);
    return v && v->is_bool() && v->as_bool();
  };
  const bool any_value = is_true("x-kubernetes-preserve-unknown-fields") ||
                         is_true("x-kubernetes-int-or-string") || is_true("nullable");
  json::object out;
  for (const auto& [key, value] : in) {
    if (key == "nullable" || key == "oneOf" || key == "anyOf" || key == "allOf" || key == "not" ||
        key == "x-kubernetes-validations")
      continue;
    if (any_value && (key == "type" || key == "properties" || key == "items" ||
                      key == "additionalProperties" || key == "required"))
      continue;
    if (key == "properties")
      out[key] = v2_children(value);
    else if (key == "items" || key == "additionalProperties")
      out[key] = schema_to_v2(value);
    else
      out[key] = value;
  }
  return out;
}

json::object openapi_v2_document(const Registry& registry) {
  json::object paths;
  json::object definitions;
  for (const auto& t : registry.all()) {
    // kubectl up to 1.26 computes a built-in kind's strategic merge patch from
    // its v2 definition when there is one; a stand-in without fields would
    // make that fail where having none makes kubectl use its compiled-in type.
    const bool has_definition = t->schema.is_object();
    if (has_definition) {
      json::value schema = schema_to_v2(schema_of(*t));
      schema.as_object()["x-kubernetes-group-version-kind"] = json::array{gvk(*t)};
      definitions[schema_name(*t)] = std::move(schema);
    }
    json::value body = has_definition
                           ? json::value(json::object{{"$ref", "#/definitions/" + schema_name(*t)}})
                           : json::value(json::object{{"type", "object"}});
    const json::value patch_body = json::object{{"type", "object"}};
    const std::string base = collection_path(*t);
    paths[base] = json::object{{"get", v2_operation(*t, "list", nullptr, has_definition)},
                               {"post", v2_operation(*t, "post", body, has_definition)},
                               {"parameters", v2_path_parameters(*t, false)}};
    paths[base + "/{name}"] =
        json::object{{"get", v2_operation(*t, "get", nullptr, has_definition)},
                     {"put", v2_operation(*t, "put", body, has_definition)},
                     {"patch", v2_operation(*t, "patch", patch_body, has_definition)},
                     {"delete", v2_operation(*t, "delete", nullptr, has_definition)},
                     {"parameters", v2_path_parameters(*t, true)}};
  }
  return json::object{{"swagger", "2.0"},
                      {"info", {{"title", "Kubernetes"}, {"version", "v1.26.4"}}},
                      {"paths", std::move(paths)},
                      {"definitions", std::move(definitions)}};
}

Response Api::openapi(const std::vector<std::string>& s, std::string_view accept) {
  if (s.size() == 2 && s[1] == "v2") {
    json::object doc = openapi_v2_document(registry_);
    if (accept.find(kOpenApiV2Protobuf) == std::string_view::npos)
      return openapi_response(doc);
    // Sniffed too, as kube-apiserver's answer is: the media type asked for
    // has an '@', which no client could parse back.
    Response r;
    r.content_type = "application/octet-stream";
    r.body = openapi_v2_protobuf(doc);
    return r;
  }
  if (s.size() == 2 && s[1] == "v3") {
    json::object paths;
    auto add = [&](const std::string& group, const std::string& version) {
      std::string doc = json::serialize(openapi_v3_document(registry_, group, version));
      std::string key = group.empty() ? "api/" + version : "apis/" + group + "/" + version;
      paths[key] =
          json::object{{"serverRelativeURL", "/openapi/v3/" + key + "?hash=" + hash_of(doc)}};
    };
    add("", "v1");
    for (const auto& g : registry_.groups())
      for (const auto& v : registry_.versions(g))
        add(g, v);
    return openapi_response(json::object{{"paths", std::move(paths)}});
  }
  if (s.size() >= 4 && s[1] == "v3") {
    std::string group;
    std::string version;
    if (s[2] == "api" && s.size() == 4) {
      version = s[3];
    } else if (s[2] == "apis" && s.size() == 5) {
      group = s[3];
      version = s[4];
    } else {
      return not_found_page();
    }
    auto versions = registry_.versions(group);
    if (!group.empty() && std::find(versions.begin(), versions.end(), version) == versions.end())
      return not_found_page();
    Response r = openapi_response(openapi_v3_document(registry_, group, version));
    r.headers.emplace_back("Cache-Control", "public, immutable");
    return r;
  }
  return not_found_page();
}

}  // namespace certmill::kubesim
