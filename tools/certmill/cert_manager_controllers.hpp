// cert-manager v1.21's controller names and feature gates, and what certmill
// makes of --controllers and --feature-gates: the same list syntax and the
// same names, an error naming the known ones for anything else. Pure logic.
#pragma once

#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace certmill::cmd {

// Every controller name cert-manager's --controllers knows.
std::span<const std::string_view> known_controllers();
// Every feature gate cert-manager's controller knows, with its default.
struct FeatureGate {
  std::string_view name = {};
  bool default_on = false;
  std::string_view stage = {};  // ALPHA, BETA or GA; empty for AllAlpha and AllBeta
};
std::span<const FeatureGate> known_feature_gates();

// One --controllers item: "*", "name" or "-name" with a known name.
Status check_controller_item(std::string_view item);
// cert-manager's EnabledControllers: "*" is the on-by-default set, "-x"
// removes x (after everything else), a list of only removals implies "*";
// gateway-shim joins when the Gateway API is on, and a namespaced
// controller drops the cluster-scoped ones.
std::set<std::string> enabled_controllers(const std::vector<std::string>& list, bool gateway_api,
                                          bool namespaced);

using FeatureGates = std::map<std::string, bool>;
// Merges "A=true,B=false" into `gates` (the later wins); an unknown gate or a
// value that is not a Go boolean is an error that names it.
Status merge_feature_gates(std::string_view text, FeatureGates& gates);
// Whether `name` is on: as set, else AllAlpha/AllBeta for such gates, else its default.
bool feature_enabled(const FeatureGates& gates, std::string_view name);

// What certmill honours of both: the approver, gateway-shim; and what it
// accepts but does not change (a disabled controller certmill runs as part
// of one reconcile, a gate set away from its default that certmill does not
// act on), each as "--controllers=-x" / "--feature-gates=X=v" for the log.
struct ControllerChoice {
  bool approve_requests = true;  // certificaterequests-approver runs
  bool gateway_shim = false;     // gateway-shim runs
  std::vector<std::string> not_honoured = {};
};
ControllerChoice choose_controllers(const std::vector<std::string>& list, const FeatureGates& gates,
                                    bool enable_gateway_api, bool namespaced);

}  // namespace certmill::cmd
