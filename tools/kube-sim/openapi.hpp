// The OpenAPI documents kubectl reads before `apply` and `create`: v3, one
// document per group-version (kubectl 1.27 and later), and v2, one document for
// the whole server (kubectl up to 1.26, which asks for its protobuf form
// first). Both are built from the schemas the registry holds.
#pragma once

#include <string>

#include <boost/json.hpp>

#include "tools/kube-sim/resources.hpp"

namespace certmill::kubesim {

// io.cert-manager.v1.Certificate: the name kube-apiserver gives a kind's schema.
std::string schema_name(const ResourceType& type);

boost::json::object openapi_v3_document(const Registry& registry, const std::string& group,
                                        const std::string& version);

boost::json::object openapi_v2_document(const Registry& registry);

// A v3 structural schema in the form OpenAPI v2 can say, as kube-apiserver
// publishes custom resources there: no nullable, oneOf, anyOf, allOf or not,
// and no type where any value may stand (preserved unknown fields,
// int-or-string, nullable), so that kubectl's client-side validation accepts
// what the server accepts.
boost::json::value schema_to_v2(const boost::json::value& schema);

}  // namespace certmill::kubesim
