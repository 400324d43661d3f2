// YAML to JSON, for kubeconfig files and manifests: Kubernetes YAML is JSON's
// data model, so certmill decodes everything with core/'s JSON codecs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace certmill::k8s {

// Converts one YAML document. Plain scalars become JSON null, booleans and
// numbers where YAML 1.2's core schema says so; quoted scalars stay strings.
// Errors name the line and column.
Result<std::string> yaml_to_json(std::string_view yaml);

// Converts every document of a multi-document stream (`---` separated),
// skipping empty ones.
Result<std::vector<std::string>> yaml_documents_to_json(std::string_view yaml);

}  // namespace certmill::k8s
