// cert-manager's names (internal/apis/config/controller/v1alpha1/defaults.go
// and internal/controller/feature/features.go as of v1.21) and its rules for
// combining them (cmd/controller/app/options EnabledControllers).
#include "tools/certmill/cert_manager_controllers.hpp"

#include <algorithm>
#include <optional>

namespace certmill::cmd {

namespace {

constexpr std::string_view kApprover = "certificaterequests-approver";
constexpr std::string_view kGatewayShim = "gateway-shim";
constexpr std::string_view kGatewayGate = "ExperimentalGatewayAPISupport";

constexpr std::string_view kControllers[] = {
    "issuers",
    "clusterissuers",
    "certificates-metrics",
    "ingress-shim",
    "gateway-shim",
    "orders",
    "challenges",
    "certificaterequests-issuer-acme",
    "certificaterequests-approver",
    "certificaterequests-issuer-ca",
    "certificaterequests-issuer-selfsigned",
    "certificaterequests-issuer-vault",
    "certificaterequests-issuer-venafi",
    "certificates-trigger",
    "certificates-issuing",
    "certificates-key-manager",
    "certificates-request-manager",
    "certificates-readiness",
    "certificates-revision-manager",
    "certificatesigningrequests-issuer-acme",
    "certificatesigningrequests-issuer-ca",
    "certificatesigningrequests-issuer-selfsigned",
    "certificatesigningrequests-issuer-venafi",
    "certificatesigningrequests-issuer-vault",
};

constexpr FeatureGate kGates[] = {
    {"AllAlpha", false, ""},
    {"AllBeta", false, ""},
    {"DisallowInsecureCSRUsageDefinition", true, "GA"},
    {"StableCertificateRequestName", true, "BETA"},
    {"SecretsFilteredCaching", true, "BETA"},
    {"ExperimentalCertificateSigningRequestControllers", false, "ALPHA"},
    {"ExperimentalGatewayAPISupport", true, "BETA"},
    {"AdditionalCertificateOutputFormats", true, "GA"},
    {"ServerSideApply", false, "ALPHA"},
    {"LiteralCertificateSubject", true, "BETA"},
    {"UseCertificateRequestBasicConstraints", false, "ALPHA"},
    {"NameConstraints", true, "BETA"},
    {"OtherNames", false, "ALPHA"},
    {"UseDomainQualifiedFinalizer", true, "GA"},
    {"DefaultPrivateKeyRotationPolicyAlways", true, "BETA"},
    {"ACMEHTTP01IngressPathTypeExact", true, "BETA"},
    // Removed in v1.18, still accepted so that old flags do not stop the
    // controller; a no-op there as here.
    {"ValidateCAA", false, "ALPHA"},
};

bool default_enabled(std::string_view name) {
  return name != kGatewayShim && !name.starts_with("certificatesigningrequests-");
}

bool cluster_scoped(std::string_view name) {
  return name == "clusterissuers" || name.starts_with("certificatesigningrequests-");
}

const FeatureGate* find_gate(std::string_view name) {
  for (const FeatureGate& g : kGates) {
    if (g.name == name)
      return &g;
  }
  return nullptr;
}

template <typename List>
std::string joined(const List& names) {
  std::string out;
  for (const auto& n : names) {
    if (!out.empty())
      out += ", ";
    out += n.name;
  }
  return out;
}

std::string joined_controllers() {
  std::string out;
  for (std::string_view n : kControllers)
    out += (out.empty() ? "" : ", ") + std::string(n);
  return out;
}

std::optional<bool> go_bool(std::string_view v) {
  if (v == "true" || v == "1" || v == "t" || v == "T" || v == "TRUE" || v == "True")
    return true;
  if (v == "false" || v == "0" || v == "f" || v == "F" || v == "FALSE" || v == "False")
    return false;
  return std::nullopt;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ')
    s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ')
    s.remove_suffix(1);
  return s;
}

}  // namespace

std::span<const std::string_view> known_controllers() {
  return kControllers;
}

std::span<const FeatureGate> known_feature_gates() {
  return kGates;
}

Status check_controller_item(std::string_view item) {
  if (item == "*")
    return {};
  std::string_view name = item.starts_with('-') ? item.substr(1) : item;
  if (std::find(std::begin(kControllers), std::end(kControllers), name) != std::end(kControllers))
    return {};
  return Error(Errc::invalid_argument, "unknown controller \"" + std::string(name) +
                                           "\"; known controllers: " + joined_controllers());
}

std::set<std::string> enabled_controllers(const std::vector<std::string>& list, bool gateway_api,
                                          bool namespaced) {
  std::set<std::string> enabled;
  std::vector<std::string_view> disabled;
  const auto add_defaults = [&] {
    for (std::string_view n : kControllers) {
      if (default_enabled(n))
        enabled.emplace(n);
    }
  };
  for (const std::string& item : list) {
    if (item == "*")
      add_defaults();
    else if (item.starts_with('-'))
      disabled.push_back(std::string_view(item).substr(1));
    else
      enabled.insert(item);
  }
  if (!disabled.empty() && enabled.empty())
    add_defaults();
  if (gateway_api)
    enabled.emplace(kGatewayShim);
  if (namespaced)
    std::erase_if(enabled, [](const std::string& n) { return cluster_scoped(n); });
  for (std::string_view n : disabled)
    enabled.erase(std::string(n));
  return enabled;
}

Status merge_feature_gates(std::string_view text, FeatureGates& gates) {
  while (!text.empty()) {
    const auto comma = text.find(',');
    const std::string_view pair = trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    if (pair.empty())
      continue;
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos)
      return Error(Errc::invalid_argument,
                   "missing bool value for feature gate \"" + std::string(pair) + "\"");
    const std::string_view name = trim(pair.substr(0, eq));
    if (!find_gate(name))
      return Error(Errc::invalid_argument, "unrecognized feature gate \"" + std::string(name) +
                                               "\"; known gates: " + joined(kGates));
    const auto value = go_bool(trim(pair.substr(eq + 1)));
    if (!value)
      return Error(Errc::invalid_argument, "invalid value of feature gate " + std::string(name) +
                                               "=" + std::string(pair.substr(eq + 1)) +
                                               ", want true or false");
    gates[std::string(name)] = *value;
  }
  return {};
}

bool feature_enabled(const FeatureGates& gates, std::string_view name) {
  if (auto it = gates.find(std::string(name)); it != gates.end())
    return it->second;
  const FeatureGate* gate = find_gate(name);
  if (!gate)
    return false;
  const auto all = [&](const char* which) {
    auto it = gates.find(which);
    return it != gates.end() && it->second;
  };
  if (gate->stage == "ALPHA" && all("AllAlpha"))
    return true;
  if (gate->stage == "BETA" && all("AllBeta"))
    return true;
  return gate->default_on;
}

ControllerChoice choose_controllers(const std::vector<std::string>& list, const FeatureGates& gates,
                                    bool enable_gateway_api, bool namespaced) {
  const bool gateway_api = enable_gateway_api && feature_enabled(gates, kGatewayGate);
  const std::set<std::string> enabled = enabled_controllers(list, gateway_api, namespaced);
  ControllerChoice choice;
  choice.approve_requests = enabled.contains(std::string(kApprover));
  choice.gateway_shim = enabled.contains(std::string(kGatewayShim));
  for (std::string_view n : kControllers) {
    const std::string name(n);
    if (default_enabled(n) && n != kApprover && !enabled.contains(name) &&
        !(namespaced && cluster_scoped(n)))
      choice.not_honoured.push_back("--controllers=-" + name +
                                    " (certmill runs it as part of its one reconcile)");
    if (n.starts_with("certificatesigningrequests-") && enabled.contains(name))
      choice.not_honoured.push_back("--controllers=" + name +
                                    " (certmill signs no Kubernetes CertificateSigningRequests)");
  }
  for (const auto& [name, on] : gates) {
    const FeatureGate* gate = find_gate(name);
    if (gate && on != gate->default_on && name != kGatewayGate)
      choice.not_honoured.push_back("--feature-gates=" + name + "=" + (on ? "true" : "false") +
                                    " (certmill behaves as the gate's default)");
  }
  return choice;
}

}  // namespace certmill::cmd
