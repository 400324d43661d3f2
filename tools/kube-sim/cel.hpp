// The subset of CEL that CRD validation rules (x-kubernetes-validations) in
// certmill's CRDs use, evaluated over JSON as kube-apiserver evaluates them:
// literals, self and oldSelf, field selection, has(), size(), duration(),
// comparison, arithmetic on integers and durations, && || ! and ?:, `in`,
// string startsWith / endsWith / contains, and the list and map macros all,
// exists, exists_one and filter. Anything else is a compile error, as an
// unsupported rule would be in kube-sim's tests.
#pragma once

#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "core/result.hpp"

namespace certmill::kubesim {

// Whether `rule` holds for `self` (and `old_self` on an update; null on a
// create). An error when the rule does not parse or does not evaluate to a
// boolean (a field it reads without has() is absent, a type mismatch).
Result<bool> evaluate_cel(std::string_view rule, const boost::json::value& self,
                          const boost::json::value* old_self);

}  // namespace certmill::kubesim
