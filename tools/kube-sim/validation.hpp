// Checks a custom resource against its CRD's structural OpenAPI v3 schema:
// types, required fields, enums, bounds, patterns, CEL validation rules, and
// unknown fields (which are pruned or reported according to fieldValidation).
#pragma once

#include <string>
#include <vector>

#include <boost/json.hpp>

#include "tools/kube-sim/status.hpp"

namespace certmill::kubesim {

struct ValidationResult {
  std::vector<Cause> causes;                // → 422 Invalid
  std::vector<std::string> unknown_fields;  // → Warning headers or 400 under Strict
};

// Validates `object` in place; unknown fields are removed (pruned) when
// `prune` is set, as kube-apiserver does for custom resources. `old` is the
// stored object on an update (for transition rules), null on a create.
ValidationResult validate_custom(boost::json::object& object, const boost::json::value& schema,
                                 bool prune, const boost::json::object* old = nullptr);
// Unknown metadata fields, for every kind.
void check_metadata(boost::json::object& object, bool prune, ValidationResult& result);

// "Kind.group \"name\" is invalid: [a, b]" as kube-apiserver words it.
std::string invalid_message(std::string_view qualified_kind, std::string_view name,
                            const std::vector<Cause>& causes);

}  // namespace certmill::kubesim
