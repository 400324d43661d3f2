// Built-in kinds and CRD-defined kinds.
#include "tools/kube-sim/resources.hpp"

#include <algorithm>

namespace certmill::kubesim {

namespace json = boost::json;

namespace {

TypePtr builtin(std::string group, std::string version, std::string plural, std::string kind,
                bool namespaced, bool status, std::vector<std::string> short_names,
                std::string hash) {
  auto t = std::make_shared<ResourceType>();
  t->group = std::move(group);
  t->version = std::move(version);
  t->plural = std::move(plural);
  t->kind = std::move(kind);
  t->list_kind = t->kind + "List";
  t->namespaced = namespaced;
  t->status_subresource = status;
  t->short_names = std::move(short_names);
  t->storage_version_hash = std::move(hash);
  return t;
}

std::string crd_name_of(const ResourceType& t) {
  return t.plural + "." + t.group;
}

}  // namespace

Registry::Registry() {
  types_ = {
      builtin("", "v1", "configmaps", "ConfigMap", true, false, {"cm"}, "qFsyl6wFWjQ="),
      builtin("apiregistration.k8s.io", "v1", "apiservices", "APIService", false, true, {},
              "InPBPD7+PqM="),
      builtin("", "v1", "events", "Event", true, false, {"ev"}, "r2yiGXH7wu8="),
      builtin("", "v1", "namespaces", "Namespace", false, true, {"ns"}, "Q3oi5N2YM8M="),
      builtin("", "v1", "secrets", "Secret", true, false, {}, "S6u1pOWzb84="),
      builtin("", "v1", "services", "Service", true, true, {"svc"}, "0/CO1lhkEBI="),
      builtin("", "v1", "serviceaccounts", "ServiceAccount", true, false, {"sa"}, "pbx9ZvyFpBE="),
      builtin("apps", "v1", "deployments", "Deployment", true, true, {"deploy"}, "8aSe+NMegvE="),
      builtin("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true, true, {"pdb"},
              "6BGBu0kpHtk="),
      builtin("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", true, false, {},
              "Nx3SIv6I0mE="),
      builtin("rbac.authorization.k8s.io", "v1", "roles", "Role", true, false, {}, "7FuwZcIIItM="),
      builtin("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true, false, {},
              "eGsCzGH6b1g="),
      builtin("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false, false, {},
              "bYE5ZWDrJ44="),
      builtin("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", false,
              false, {}, "48tpQ8gZHFc="),
      builtin("coordination.k8s.io", "v1", "leases", "Lease", true, false, {}, "gqkMMb/YqFM="),
      builtin("networking.k8s.io", "v1", "ingresses", "Ingress", true, true, {"ing"},
              "39NQlfNR+bo="),
      builtin("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition",
              false, true, {"crd", "crds"}, "jfWCUB31mvA="),
      builtin("gateway.networking.k8s.io", "v1", "gateways", "Gateway", true, true, {"gtw"},
              "l8Ai5TXdHQA="),
      builtin("gateway.networking.k8s.io", "v1", "httproutes", "HTTPRoute", true, true, {},
              "Xm4lh2XM6hY="),
  };
}

TypePtr Registry::find(std::string_view group, std::string_view version,
                       std::string_view plural) const {
  for (const auto& t : types_)
    if (t->group == group && t->version == version && t->plural == plural)
      return t;
  return nullptr;
}

TypePtr Registry::find_kind(std::string_view group, std::string_view kind) const {
  for (const auto& t : types_)
    if (t->group == group && t->kind == kind)
      return t;
  return nullptr;
}

std::vector<std::string> Registry::groups() const {
  std::vector<std::string> out;
  for (const auto& t : types_)
    if (!t->group.empty() && std::find(out.begin(), out.end(), t->group) == out.end())
      out.push_back(t->group);
  return out;
}

std::vector<std::string> Registry::versions(std::string_view group) const {
  std::vector<std::string> out;
  for (const auto& t : types_)
    if (t->group == group && std::find(out.begin(), out.end(), t->version) == out.end())
      out.push_back(t->version);
  return out;
}

void Registry::undefine(std::string_view crd_name) {
  std::erase_if(types_,
                [&](const TypePtr& t) { return !t->builtin && crd_name_of(*t) == crd_name; });
}

void Registry::define(const json::object& crd) {
  const auto& spec = crd.at("spec").as_object();
  const auto& names = spec.at("names").as_object();
  auto str = [](const json::object& o, std::string_view k) -> std::string {
    auto* v = o.if_contains(k);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
  };
  const std::string group = str(spec, "group");
  undefine(str(names, "plural") + "." + group);
  const auto* versions = spec.if_contains("versions");
  if (!versions || !versions->is_array())
    return;
  for (const auto& vv : versions->as_array()) {
    const auto& v = vv.as_object();
    if (auto* served = v.if_contains("served"); served && served->is_bool() && !served->as_bool())
      continue;
    auto t = std::make_shared<ResourceType>();
    t->group = group;
    t->version = str(v, "name");
    t->plural = str(names, "plural");
    t->singular = str(names, "singular");
    if (t->singular.empty()) {
      t->singular = t->plural;
      for (auto& c : t->singular)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    t->kind = str(names, "kind");
    t->list_kind = str(names, "listKind");
    if (t->list_kind.empty())
      t->list_kind = t->kind + "List";
    t->namespaced = str(spec, "scope") != "Cluster";
    t->builtin = false;
    if (auto* sn = names.if_contains("shortNames"); sn && sn->is_array())
      for (const auto& s : sn->as_array())
        if (s.is_string())
          t->short_names.emplace_back(s.as_string());
    if (auto* cats = names.if_contains("categories"); cats && cats->is_array())
      for (const auto& s : cats->as_array())
        if (s.is_string())
          t->categories.emplace_back(s.as_string());
    if (auto* sub = v.if_contains("subresources"); sub && sub->is_object())
      t->status_subresource = sub->as_object().contains("status");
    if (auto* schema = v.if_contains("schema"); schema && schema->is_object())
      if (auto* s = schema->as_object().if_contains("openAPIV3Schema"))
        t->schema = *s;
    // A stable per-type hash clients only compare for equality.
    std::size_t h = std::hash<std::string>{}(t->group + "/" + t->version + "/" + t->kind);
    static const char* const b64 =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < 11; ++i, h >>= 6)
      t->storage_version_hash += b64[h & 63];
    t->storage_version_hash += '=';
    if (auto* cols = v.if_contains("additionalPrinterColumns"); cols && cols->is_array()) {
      for (const auto& cv : cols->as_array()) {
        if (!cv.is_object())
          continue;
        const auto& c = cv.as_object();
        PrinterColumn col;
        col.name = str(c, "name");
        col.type = str(c, "type");
        col.format = str(c, "format");
        col.description = str(c, "description");
        col.json_path = str(c, "jsonPath");
        if (auto* p = c.if_contains("priority"); p && p->is_int64())
          col.priority = static_cast<int>(p->as_int64());
        t->columns.push_back(std::move(col));
      }
    } else {
      t->columns.push_back({"Age", "date", "", "", ".metadata.creationTimestamp", 0});
    }
    types_.push_back(std::move(t));
  }
}

}  // namespace certmill::kubesim
