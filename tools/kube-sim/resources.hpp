// The resource types kube-sim serves: the built-in kinds certmill uses and
// one entry per served version of every CustomResourceDefinition created.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <boost/json.hpp>

namespace certmill::kubesim {

struct PrinterColumn {
  std::string name;
  std::string type;
  std::string format;
  std::string description;
  std::string json_path;
  int priority = 0;
};

struct ResourceType {
  std::string group;
  std::string version;
  std::string plural;
  std::string singular;
  std::string kind;
  std::string list_kind;
  bool namespaced = true;
  bool status_subresource = false;
  bool builtin = true;
  std::vector<std::string> short_names;
  std::vector<std::string> categories;
  std::string storage_version_hash;
  boost::json::value schema;  // openAPIV3Schema of a custom resource
  std::vector<PrinterColumn> columns;

  std::string group_version() const { return group.empty() ? version : group + "/" + version; }
  // Store key: one bucket per group and resource, shared by all versions.
  std::string key() const { return group + "/" + plural; }
};

using TypePtr = std::shared_ptr<const ResourceType>;

class Registry {
 public:
  Registry();
  TypePtr find(std::string_view group, std::string_view version, std::string_view plural) const;
  TypePtr find_kind(std::string_view group, std::string_view kind) const;
  const std::vector<TypePtr>& all() const { return types_; }
  // Group names in discovery order: built-in groups first, then CRD groups
  // in creation order.
  std::vector<std::string> groups() const;
  std::vector<std::string> versions(std::string_view group) const;

  // Serves the CRD's versions (replacing any earlier definition of it).
  void define(const boost::json::object& crd);
  void undefine(std::string_view crd_name);

 private:
  std::vector<TypePtr> types_;
};

}  // namespace certmill::kubesim
