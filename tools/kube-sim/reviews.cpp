// The requests that create nothing stored: TokenRequest
// (POST .../serviceaccounts/NAME/token, `kubectl create token`) and the
// self-subject reviews (`kubectl auth can-i`, `kubectl auth can-i --list`),
// answered as kube-apiserver 1.26 answers them.
#include <random>

#include "core/time.hpp"
#include "tools/kube-sim/api.hpp"
#include "tools/kube-sim/api_call.hpp"
#include "tools/kube-sim/objects_internal.hpp"
#include "tools/kube-sim/protobuf.hpp"
#include "tools/kube-sim/validation.hpp"

namespace certmill::kubesim {

namespace json = boost::json;

namespace {

// Tokens only need to be unguessable within a test run.
std::string new_token() {
  std::random_device rd;
  static const char* const hex = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 16; ++i) {
    const unsigned v = rd();
    for (int k = 0; k < 4; ++k)
      out += hex[(v >> (4 * k)) & 15];
  }
  return out;
}

const json::object* object_at(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_object() ? &v->as_object() : nullptr;
}

std::string text(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::optional<Response> review_body(const Request& request, std::string_view kind,
                                    json::object& out) {
  if (request.content_type.starts_with("application/vnd.kubernetes.protobuf")) {
    // The decoder knows these three by their plural.
    const bool token = kind == "TokenRequest";
    ResourceType type;
    type.group = token ? "authentication.k8s.io" : "authorization.k8s.io";
    type.version = "v1";
    type.kind = kind;
    type.plural = token                               ? "tokenrequests"
                  : kind == "SelfSubjectAccessReview" ? "selfsubjectaccessreviews"
                                                      : "selfsubjectrulesreviews";
    std::string why;
    if (!protobuf_to_json(request.body, type, out, why))
      return bad_request(why);
    return std::nullopt;
  }
  json::error_code ec;
  json::value v = json::parse(request.body, ec);
  if (ec || !v.is_object())
    return bad_request("the object provided is unrecognized (must be of type " + std::string(kind) +
                       "): couldn't get version/kind; json parse error");
  out = std::move(v.as_object());
  return std::nullopt;
}

Response invalid_review(std::string_view kind, std::string_view group, const std::string& name,
                        Cause cause) {
  StatusDetails d;
  d.present = true;
  d.name = name;
  d.group = group;
  d.kind = kind;
  d.causes = {cause};
  return status_response(422, "Invalid", invalid_message(qualified(kind, group), name, d.causes),
                         d);
}

Response method_not_allowed() {
  return status_response(405, "MethodNotAllowed",
                         "the server does not allow this method on the requested resource");
}

json::object review(std::string_view kind, json::value spec, json::object status) {
  return json::object{{"kind", kind},
                      {"apiVersion", "authorization.k8s.io/v1"},
                      {"metadata", json::object{{"creationTimestamp", nullptr}}},
                      {"spec", std::move(spec)},
                      {"status", std::move(status)}};
}

}  // namespace

Response Api::token_request(Call& call) {
  if (call.request->method != "POST")
    return method_not_allowed();
  call.verb = "create";
  if (!store_.find(call.type->key(), call.ns, call.name))
    return not_found(*call.type, call.name);
  json::object body;
  if (auto error = review_body(*call.request, "TokenRequest", body))
    return *error;
  json::object spec;
  if (const auto* s = object_at(body, "spec"))
    spec = *s;
  std::optional<std::int64_t> requested;
  if (auto* e = spec.if_contains("expirationSeconds"); e && e->is_int64())
    requested = e->as_int64();
  const TokenLifetime lifetime = token_lifetime(requested);
  if (!lifetime.error.empty())
    return invalid_review(
        "TokenRequest", "authentication.k8s.io", call.name,
        {"FieldValueInvalid",
         "Invalid value: " + std::to_string(lifetime.seconds) + ": " + lifetime.error,
         "spec.expirationSeconds"});
  auto* audiences = spec.if_contains("audiences");
  if (!audiences || !audiences->is_array() || audiences->as_array().empty())
    spec["audiences"] = json::array{"https://kubernetes.default.svc.cluster.local"};
  spec["expirationSeconds"] = lifetime.seconds;
  if (!spec.contains("boundObjectRef"))
    spec["boundObjectRef"] = nullptr;
  const auto now = std::chrono::system_clock::now();
  const auto expires = now + std::chrono::seconds(lifetime.seconds);
  const std::string token = new_token();
  tokens_.add(token, IssuedToken{.ns = call.ns, .service_account = call.name, .expires = expires});
  const json::object answer{
      {"kind", "TokenRequest"},
      {"apiVersion", "authentication.k8s.io/v1"},
      {"metadata",
       json::object{{"name", call.name}, {"namespace", call.ns}, {"creationTimestamp", nullptr}}},
      {"spec", std::move(spec)},
      {"status", json::object{{"token", token},
                              {"expirationTimestamp",
                               format_time(std::chrono::floor<std::chrono::seconds>(expires))}}}};
  return json_response(201, answer);
}

Response Api::access_review(Call& call) {
  if (call.request->method != "POST")
    return method_not_allowed();
  call.verb = "create";
  json::object body;
  if (auto error = review_body(*call.request, "SelfSubjectAccessReview", body))
    return *error;
  json::object spec;
  if (const auto* s = object_at(body, "spec"))
    spec = *s;
  const auto* resource = object_at(spec, "resourceAttributes");
  const auto* non_resource = object_at(spec, "nonResourceAttributes");
  if (resource && non_resource)
    return invalid_review("SelfSubjectAccessReview", "authorization.k8s.io", "",
                          {"FieldValueInvalid",
                           "Invalid value: \"object\": cannot be specified in combination with "
                           "resourceAttributes",
                           "spec.nonResourceAttributes"});
  if (!resource && !non_resource)
    return invalid_review("SelfSubjectAccessReview", "authorization.k8s.io", "",
                          {"FieldValueInvalid",
                           "Invalid value: \"null\": exactly one of nonResourceAttributes or "
                           "resourceAttributes must be specified",
                           "spec.resourceAttributes"});
  Attributes a;
  if (resource) {
    a = Attributes{.resource_request = true,
                   .verb = text(*resource, "verb"),
                   .group = text(*resource, "group"),
                   .version = text(*resource, "version"),
                   .resource = text(*resource, "resource"),
                   .subresource = text(*resource, "subresource"),
                   .ns = text(*resource, "namespace"),
                   .name = text(*resource, "name")};
  } else {
    a = Attributes{.verb = text(*non_resource, "verb"), .path = text(*non_resource, "path")};
  }
  json::object status{{"allowed", true}};
  if (!call.admin) {
    const Decision d = kubesim::authorize(policy(), call.user, a);
    status["allowed"] = d.allowed;
    if (!d.reason.empty())
      status["reason"] = d.reason;
  }
  return json_response(201, review("SelfSubjectAccessReview", std::move(spec), std::move(status)));
}

Response Api::rules_review(Call& call) {
  if (call.request->method != "POST")
    return method_not_allowed();
  call.verb = "create";
  json::object body;
  if (auto error = review_body(*call.request, "SelfSubjectRulesReview", body))
    return *error;
  json::object spec;
  if (const auto* s = object_at(body, "spec"))
    spec = *s;
  std::vector<PolicyRule> rules = {
      PolicyRule{.verbs = {"*"}, .api_groups = {"*"}, .resources = {"*"}},
      PolicyRule{.verbs = {"*"}, .non_resource_urls = {"*"}}};
  std::vector<std::string> errors;
  if (!call.admin)
    rules = rules_for(policy(), call.user, text(spec, "namespace"), errors);
  json::array resource_rules;
  json::array non_resource_rules;
  for (const auto& r : rules)
    (r.non_resource_urls.empty() ? resource_rules : non_resource_rules).push_back(rule_json(r));
  json::object status{{"resourceRules", std::move(resource_rules)},
                      {"nonResourceRules", std::move(non_resource_rules)},
                      {"incomplete", !errors.empty()}};
  if (!errors.empty()) {
    std::string joined;
    for (const auto& e : errors)
      joined += (joined.empty() ? "" : ", ") + e;
    status["evaluationError"] = errors.size() == 1 ? joined : "[" + joined + "]";
  }
  return json_response(201, review("SelfSubjectRulesReview", std::move(spec), std::move(status)));
}

}  // namespace certmill::kubesim
