// Just enough of Kubernetes' protobuf encoding to take the bodies kubectl's
// typed commands send for Namespace, Secret and ConfigMap (`kubectl create
// namespace|secret|configmap`); other kinds are answered 415.
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
