// What the operator commands do alike around their layouts: open the
// session or exit 3, turn an API error into the documented exit code, and
// write -o json / -o yaml.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "core/time.hpp"
#include "tools/certmill/ops/session.hpp"

namespace certmill::ops {

// The session, or null after printing why (exit with kExitApi).
std::unique_ptr<Session> open_or_report(const OpsFlags& flags);

// Prints `e` and returns its exit code: kExitNotWell for a 404 on the object
// asked about (it does not exist), kExitApi for anything else, including a
// 404 because `group_version` (e.g. "cert-manager.io/v1") is not served at
// all, which `session` is asked about and which says to install the CRDs.
int report_error(Session& session, const Error& e, std::string_view what,
                 std::string_view group_version);

// An object's JSON as a value, for composing -o json documents.
boost::json::value json_of(const std::string& encoded);

// Prints `value` as indented JSON or as YAML, per `format`.
void print_structured(const boost::json::value& value, std::string_view format);

Time now_seconds();

}  // namespace certmill::ops
