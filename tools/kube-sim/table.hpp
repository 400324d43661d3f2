// meta.k8s.io/v1 Table answers (what `kubectl get` asks for), built from a
// CRD's additionalPrinterColumns or a built-in kind's default columns.
#pragma once

#include <string>
#include <vector>

#include <boost/json.hpp>

#include "tools/kube-sim/resources.hpp"

namespace certmill::kubesim {

bool wants_table(std::string_view accept);
boost::json::object render_table(const ResourceType& type,
                                 const std::vector<const boost::json::object*>& objects,
                                 std::string_view resource_version, bool with_columns);
// The JSONPath subset printer columns use: .a.b, [n], [*], [?(@.k=="v")].
std::vector<boost::json::value> eval_jsonpath(const boost::json::value& root,
                                              std::string_view path);
// kube's short age format: "0s", "70s", "5m3s", "3h", "2d".
std::string human_age(long long seconds);

}  // namespace certmill::kubesim
