// What kube-apiserver checks and defaults on the built-in kinds kube-sim
// serves (Secret, Event, Lease, Namespace, CustomResourceDefinition).
#pragma once

#include <optional>
#include <string>

#include <boost/json.hpp>

#include "tools/kube-sim/http.hpp"
#include "tools/kube-sim/resources.hpp"

namespace certmill::kubesim {

// An error answer, or nothing when `object` is acceptable. May normalize the
// object (Secret stringData is folded into data).
std::optional<Response> check_builtin(const ResourceType& type, boost::json::object& object,
                                      const boost::json::object* current);
// Server-filled fields of a new object of a built-in kind.
void default_builtin(const ResourceType& type, boost::json::object& object);
bool has_generation(const ResourceType& type);

}  // namespace certmill::kubesim
