// Applying the HTTP-01 ingress override annotations to a solver.
#include "solvers/http01/ingress_overrides.hpp"

namespace certmill::solvers {

namespace {

const std::string* find(const api::StringMap& annotations, std::string_view key) {
  auto it = annotations.find(std::string(key));
  return it == annotations.end() ? nullptr : &it->second;
}

}  // namespace

Status check_ingress_overrides(const api::StringMap& annotations) {
  int set = 0;
  for (std::string_view key :
       {kIngressNameOverride, kIngressClassOverride, kIngressClassNameOverride})
    set += find(annotations, key) != nullptr;
  if (set > 1)
    return Error(Errc::invalid_value,
                 "may not specify more than one of: name, class, ingressClassName override "
                 "annotations");
  return {};
}

Result<api::ACMEChallengeSolver> with_ingress_overrides(api::ACMEChallengeSolver solver,
                                                        const api::StringMap& annotations) {
  if (!solver.http01 || !solver.http01->ingress)
    return solver;
  if (Status checked = check_ingress_overrides(annotations); !checked)
    return checked.error();
  const std::string* name = find(annotations, kIngressNameOverride);
  const std::string* class_ = find(annotations, kIngressClassOverride);
  const std::string* class_name = find(annotations, kIngressClassNameOverride);
  if (!name && !class_ && !class_name)
    return solver;
  api::ACMEChallengeSolverHTTP01Ingress& ingress = *solver.http01->ingress;
  ingress.name = name ? *name : std::string();
  ingress.class_ = class_ ? *class_ : std::string();
  ingress.ingress_class_name = class_name ? *class_name : std::string();
  return solver;
}

}  // namespace certmill::solvers
