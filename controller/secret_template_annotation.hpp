// The cert-manager.io/secret-template annotation of an Ingress or Gateway:
// JSON {"annotations": {...}, "labels": {...}} that becomes the
// Certificate's spec.secretTemplate. Read as cert-manager's Go decoder reads
// it: unknown fields are errors, values must be strings, and no annotation
// may be cert-manager.io/'s own.
#pragma once

#include <optional>
#include <string_view>

#include "core/api/certificate.hpp"
#include "core/result.hpp"

namespace certmill::controller {

// The template; nullopt when it sets no annotation and no label (cert-manager
// then leaves spec.secretTemplate unset). Errors name what is wrong without
// the annotation, which the caller adds.
Result<std::optional<api::SecretTemplate>> parse_secret_template(std::string_view json);

}  // namespace certmill::controller
