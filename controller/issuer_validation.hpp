// cert-manager's webhook rules for an Issuer or ClusterIssuer spec, for a
// cluster without the webhook: exactly one issuer type, and each type's
// required fields and exclusive choices (ACME's server, account key, EAB,
// solvers and their providers; CA's Secret; Vault's server, path and one way
// to log in). Messages are the webhook's, so a mistake reads the same in both
// products. An issuer that breaks one is Ready=False ConfigError. Pure.
#pragma once

#include <string>
#include <vector>

#include "core/api/issuer.hpp"

namespace certmill::controller {

std::vector<std::string> issuer_spec_errors(const api::IssuerSpec& spec);

}  // namespace certmill::controller
