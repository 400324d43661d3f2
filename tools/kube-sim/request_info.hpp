// What kube-apiserver's RequestInfoFactory makes of a request before it is
// authorized: a resource request (verb, group, version, resource,
// subresource, namespace, name) or a non-resource one (verb and path). Pure.
#pragma once

#include <string_view>

#include "tools/kube-sim/http.hpp"
#include "tools/kube-sim/rbac.hpp"

namespace certmill::kubesim {

// `path`: the request's path without its query; `target`: the path parsed.
Attributes request_attributes(std::string_view method, std::string_view path, const Target& target);

}  // namespace certmill::kubesim
