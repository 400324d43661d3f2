// Request paths of API resources.
#include "k8s/resources.hpp"

namespace certmill::k8s {

std::string resource_path(const ResourceInfo& info, std::string_view ns, std::string_view name,
                          std::string_view subresource) {
  std::string path = info.group.empty() ? "/api/" : "/apis/";
  if (!info.group.empty())
    path.append(info.group).append("/");
  path.append(info.version);
  if (info.namespaced && !ns.empty())
    path.append("/namespaces/").append(ns);
  path.append("/").append(info.plural);
  if (!name.empty())
    path.append("/").append(name);
  if (!subresource.empty())
    path.append("/").append(subresource);
  return path;
}

}  // namespace certmill::k8s
