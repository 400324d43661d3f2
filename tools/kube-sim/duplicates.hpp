// Finds keys repeated within one JSON object, which kube-apiserver rejects
// under fieldValidation=Strict ("duplicate field") and a DOM parse hides.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace certmill::kubesim {

// Dotted paths of the repeated keys ("spec.secretName"), in document order.
std::vector<std::string> duplicate_fields(std::string_view json_text);

}  // namespace certmill::kubesim
