// Just enough of Kubernetes' protobuf encoding to take the bodies kubectl's
// typed commands send for Namespace, Secret, ConfigMap and ServiceAccount
// (`kubectl create namespace|secret|configmap|serviceaccount`) and the
// TokenRequest of `kubectl create token` and the reviews of `kubectl auth
// can-i` (decoded with a type whose plural is "tokenrequests",
// "selfsubjectaccessreviews" or "selfsubjectrulesreviews"); other kinds are
// answered 415.
#pragma once

#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "tools/kube-sim/resources.hpp"

namespace certmill::kubesim {

bool protobuf_supported(const ResourceType& type);
// Decodes the "k8s\0"-framed runtime.Unknown envelope and the object in it.
bool protobuf_to_json(std::string_view body, const ResourceType& type, boost::json::object& out,
                      std::string& error);

}  // namespace certmill::kubesim
