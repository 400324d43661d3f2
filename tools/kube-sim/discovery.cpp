// Discovery: /version, /api, /apis, /apis/G, /apis/G/V and the health paths.

#include "tools/kube-sim/api.hpp"
#include "tools/kube-sim/api_call.hpp"
#include "tools/kube-sim/status.hpp"

namespace certmill::kubesim {

namespace json = boost::json;

namespace {

json::array verbs_of(const ResourceType& t) {
  if (!t.builtin)
    return {"delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"};
  if (t.plural == "namespaces")
    return {"create", "delete", "get", "list", "patch", "update", "watch"};
  return {"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"};
}

json::array string_array(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v)
    a.push_back(json::value(s));
  return a;
}

json::object resource_list(const Registry& registry, const std::string& group,
                           const std::string& version) {
  json::array resources;
  for (const auto& t : registry.all()) {
    if (t->group != group || t->version != version)
      continue;
    json::object r;
    r["name"] = t->plural;
    r["singularName"] = t->builtin ? "" : t->singular;
    r["namespaced"] = t->namespaced;
    r["kind"] = t->kind;
    r["verbs"] = verbs_of(*t);
    if (!t->short_names.empty())
      r["shortNames"] = string_array(t->short_names);
    if (!t->categories.empty())
      r["categories"] = string_array(t->categories);
    r["storageVersionHash"] = t->storage_version_hash;
    resources.push_back(std::move(r));
    if (t->group.empty() && t->plural == "serviceaccounts")
      resources.push_back(json::object{{"name", "serviceaccounts/token"},
                                       {"singularName", ""},
                                       {"namespaced", true},
                                       {"group", "authentication.k8s.io"},
                                       {"version", "v1"},
                                       {"kind", "TokenRequest"},
                                       {"verbs", {"create"}}});
    if (t->status_subresource)
      resources.push_back(json::object{{"name", t->plural + "/status"},
                                       {"singularName", ""},
                                       {"namespaced", t->namespaced},
                                       {"kind", t->kind},
                                       {"verbs", {"get", "patch", "update"}}});
  }
  json::object o;
  o["kind"] = "APIResourceList";
  if (!group.empty())
    o["apiVersion"] = "v1";
  o["groupVersion"] = group.empty() ? version : group + "/" + version;
  o["resources"] = std::move(resources);
  return o;
}

json::object api_group(const Registry& registry, const std::string& group) {
  json::array versions;
  for (const auto& v : registry.versions(group))
    versions.push_back(json::object{{"groupVersion", group + "/" + v}, {"version", v}});
  json::object o{{"name", group}, {"versions", versions}};
  if (!versions.empty())
    o["preferredVersion"] = versions.front();
  return o;
}

// The reviews kube-sim answers (reviews.cpp) without storing them, so
// `kubectl auth can-i` finds the group it posts to.
constexpr std::string_view kAuthorization = "authorization.k8s.io";

json::object authorization_group() {
  const json::object v1{{"groupVersion", "authorization.k8s.io/v1"}, {"version", "v1"}};
  return json::object{{"name", kAuthorization}, {"versions", {v1}}, {"preferredVersion", v1}};
}

json::object authorization_resources() {
  json::array resources;
  for (const auto& [name, kind] : {std::pair{"selfsubjectaccessreviews", "SelfSubjectAccessReview"},
                                   std::pair{"selfsubjectrulesreviews", "SelfSubjectRulesReview"}})
    resources.push_back(json::object{{"name", name},
                                     {"singularName", ""},
                                     {"namespaced", false},
                                     {"kind", kind},
                                     {"verbs", {"create"}}});
  return json::object{{"kind", "APIResourceList"},
                      {"apiVersion", "v1"},
                      {"groupVersion", "authorization.k8s.io/v1"},
                      {"resources", std::move(resources)}};
}

// kube-apiserver 1.26 answers aggregated-discovery Accept profiles with the
// legacy documents whenever plain JSON is acceptable too, and with 406 when
// only the profiles are.
bool only_aggregated(std::string_view accept) {
  if (accept.find("as=APIGroupDiscoveryList") == std::string_view::npos)
    return false;
  while (!accept.empty()) {
    auto comma = accept.find(',');
    std::string_view entry = accept.substr(0, comma);
    accept = comma == std::string_view::npos ? std::string_view() : accept.substr(comma + 1);
    if (entry.find("as=APIGroupDiscoveryList") == std::string_view::npos)
      return false;
  }
  return true;
}

}  // namespace

Response Api::discovery(const Target& target, const std::vector<std::string>& s,
                        std::string_view accept, bool& handled) {
  handled = true;
  (void)target;
  if (s.size() == 1 && s[0] == "version") {
    std::string v = options_.git_version;  // "v1.26.4"
    auto dot1 = v.find('.');
    auto dot2 = v.find('.', dot1 + 1);
    return json_response(200,
                         json::object{{"major", v.substr(1, dot1 - 1)},
                                      {"minor", v.substr(dot1 + 1, dot2 - dot1 - 1)},
                                      {"gitVersion", v},
                                      {"gitCommit", "0000000000000000000000000000000000000000"},
                                      {"gitTreeState", "clean"},
                                      {"buildDate", "1970-01-01T00:00:00Z"},
                                      {"goVersion", "go1.19.8"},
                                      {"compiler", "gc"},
                                      {"platform", "linux/amd64"}});
  }
  if (s.size() == 1 && (s[0] == "healthz" || s[0] == "readyz" || s[0] == "livez")) {
    Response r;
    r.content_type = "text/plain; charset=utf-8";
    r.body = "ok";
    return r;
  }
  if (s.size() == 1 && (s[0] == "api" || s[0] == "apis") && only_aggregated(accept))
    return status_response(406, "NotAcceptable",
                           "only the following media types are accepted: application/json, "
                           "application/yaml, application/vnd.kubernetes.protobuf");
  if (s.size() == 1 && s[0] == "api")
    return json_response(
        200, json::object{
                 {"kind", "APIVersions"},
                 {"versions", {"v1"}},
                 {"serverAddressByClientCIDRs",
                  {{{"clientCIDR", "0.0.0.0/0"}, {"serverAddress", options_.server_address}}}}});
  if (s.size() == 2 && s[0] == "api" && s[1] == "v1")
    return json_response(200, resource_list(registry_, "", "v1"));
  if (s.size() == 1 && s[0] == "apis") {
    json::array groups;
    for (const auto& g : registry_.groups())
      groups.push_back(api_group(registry_, g));
    groups.push_back(authorization_group());
    return json_response(
        200, json::object{{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", groups}});
  }
  if (s.size() == 2 && s[0] == "apis" && s[1] == kAuthorization) {
    json::object o{{"kind", "APIGroup"}, {"apiVersion", "v1"}};
    for (auto& kv : authorization_group())
      o.emplace(kv.key(), kv.value());
    return json_response(200, o);
  }
  if (s.size() == 3 && s[0] == "apis" && s[1] == kAuthorization && s[2] == "v1")
    return json_response(200, authorization_resources());
  if (s.size() == 2 && s[0] == "apis") {
    if (registry_.versions(s[1]).empty())
      return not_found_page();
    json::object g = api_group(registry_, s[1]);
    json::object o{{"kind", "APIGroup"}, {"apiVersion", "v1"}};
    for (auto& kv : g)
      o.emplace(kv.key(), kv.value());
    return json_response(200, o);
  }
  if (s.size() == 3 && s[0] == "apis") {
    auto versions = registry_.versions(s[1]);
    if (std::find(versions.begin(), versions.end(), s[2]) == versions.end())
      return not_found_page();
    return json_response(200, resource_list(registry_, s[1], s[2]));
  }
  handled = false;
  return {};
}

}  // namespace certmill::kubesim
