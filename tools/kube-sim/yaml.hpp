// The YAML subset Kubernetes manifests use (block mappings and sequences,
// plain, quoted and block scalars, JSON-style flow collections), for
// application/apply-patch+yaml and application/yaml bodies. JSON is YAML too
// and takes the fast path.
#pragma once

#include <string>
#include <string_view>

#include <boost/json.hpp>

namespace certmill::kubesim {

bool yaml_to_json(std::string_view text, boost::json::value& out, std::string& error);

}  // namespace certmill::kubesim
