// Condition edits for renew, approve and deny: set with the controller's
// set_condition, so lastTransitionTime follows the same rule.
#include "tools/certmill/ops/condition_edits.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "controller/status_writes.hpp"
#include "core/api/codec.hpp"
#include "tools/certmill/ops/status_verdict.hpp"

namespace certmill::ops {

namespace json = boost::json;

bool is_issuing(const api::Certificate& certificate) {
  const api::Condition* c = find_condition(certificate.status.conditions, "Issuing");
  return c && c->status == api::ConditionStatus::True;
}

std::vector<api::Condition> renewal_conditions(const api::Certificate& certificate, Time now) {
  std::vector<api::Condition> conditions = certificate.status.conditions;
  controller::set_condition(conditions, {.type = "Issuing",
                                         .status = api::ConditionStatus::True,
                                         .reason = kManualRenewalReason,
                                         .message = kManualRenewalMessage,
                                         .last_transition_time = now,
                                         .observed_generation = certificate.metadata.generation});
  return conditions;
}

Decision decision_of(const api::CertificateRequest& request) {
  const auto is_true = [&](std::string_view type) {
    const api::Condition* c = find_condition(request.status.conditions, type);
    return c && c->status == api::ConditionStatus::True;
  };
  if (is_true("Approved"))
    return Decision::approved;
  if (is_true("Denied"))
    return Decision::denied;
  return Decision::none;
}

std::vector<api::Condition> decision_conditions(const api::CertificateRequest& request,
                                                Decision decision, std::string reason,
                                                std::string message, Time now) {
  std::vector<api::Condition> conditions = request.status.conditions;
  controller::set_condition(conditions,
                            {.type = decision == Decision::denied ? "Denied" : "Approved",
                             .status = api::ConditionStatus::True,
                             .reason = std::move(reason),
                             .message = std::move(message),
                             .last_transition_time = now,
                             .observed_generation = std::nullopt});
  return conditions;
}

std::string conditions_patch(std::string_view resource_version,
                             const std::vector<api::Condition>& conditions) {
  // The codec encodes conditions only inside an object; borrow a Certificate's.
  api::Certificate carrier;
  carrier.status.conditions = conditions;
  json::value encoded = json::parse(api::encode(carrier));
  json::value list = encoded.at("status").at("conditions");
  json::object patch{
      {"metadata", json::object{{"resourceVersion", resource_version}}},
      {"status", json::object{{"conditions", std::move(list)}}},
  };
  return json::serialize(patch);
}

}  // namespace certmill::ops
