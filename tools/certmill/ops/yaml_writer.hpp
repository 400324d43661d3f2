// JSON to YAML for `-o yaml`, in kubectl's block style (sequences at their
// key's indentation). k8s/yaml.hpp only reads YAML; this only writes it.
#pragma once

#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "core/result.hpp"

namespace certmill::ops {

// A YAML document equal to `value` under YAML 1.2's JSON schema: strings that
// would read as another type or need escapes are double-quoted.
std::string to_yaml(const boost::json::value& value);
Result<std::string> json_to_yaml(std::string_view json);

}  // namespace certmill::ops
