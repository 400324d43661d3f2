// Deciding what the first lines of a Certificate's status say.
#include "tools/certmill/ops/status_verdict.hpp"

#include "tools/certmill/ops/table.hpp"

namespace certmill::ops {

const api::Condition* find_condition(const std::vector<api::Condition>& conditions,
                                     std::string_view type) {
  for (const auto& c : conditions) {
    if (c.type == type)
      return &c;
  }
  return nullptr;
}

std::string_view condition_status_name(api::ConditionStatus status) {
  switch (status) {
    case api::ConditionStatus::True:
      return "True";
    case api::ConditionStatus::False:
      return "False";
    case api::ConditionStatus::Unknown:
      break;
  }
  return "Unknown";
}

std::string_view acme_state_name(std::optional<api::AcmeState> state) {
  return state ? api::acme_state_name(*state) : std::string_view("unknown");
}

namespace {

std::string reason_text(const api::Condition& c) {
  std::string out = c.reason.empty() ? std::string(condition_status_name(c.status)) : c.reason;
  if (!c.message.empty())
    out += ": " + c.message;
  return out;
}

bool failed_state(std::optional<api::AcmeState> s) {
  return s == api::AcmeState::Invalid || s == api::AcmeState::Errored ||
         s == api::AcmeState::Expired;
}

void challenge_causes(const StatusInput& in, std::vector<std::string>& causes) {
  for (const auto& c : in.challenges) {
    if (c.status.state == api::AcmeState::Valid || c.status.reason.empty())
      continue;
    causes.push_back("Challenge " + c.metadata.name + " (" +
                     std::string(api::challenge_type_name(c.spec.type)) + " for " +
                     c.spec.dns_name + ") is " + std::string(acme_state_name(c.status.state)) +
                     ": " + c.status.reason);
  }
}

void request_causes(const StatusInput& in, std::vector<std::string>& causes) {
  if (in.order && (failed_state(in.order->status.state) || !in.order->status.reason.empty()) &&
      in.order->status.state != api::AcmeState::Valid) {
    causes.push_back("Order " + in.order->metadata.name + " is " +
                     std::string(acme_state_name(in.order->status.state)) +
                     (in.order->status.reason.empty() ? "" : ": " + in.order->status.reason));
  }
  if (!in.request)
    return;
  const auto& conditions = in.request->status.conditions;
  const std::string name = "CertificateRequest " + in.request->metadata.name;
  if (const auto* denied = find_condition(conditions, "Denied");
      denied && denied->status == api::ConditionStatus::True) {
    causes.push_back(name + " was denied: " + reason_text(*denied));
    return;
  }
  const auto* ready = find_condition(conditions, "Ready");
  if (ready && ready->status == api::ConditionStatus::True)
    return;
  if (ready && ready->reason == "Failed")
    causes.push_back(name + " failed: " + ready->message);
  else if (!find_condition(conditions, "Approved"))
    causes.push_back(name + " is not approved yet");
  else if (ready)
    causes.push_back(name + " is not ready: " + reason_text(*ready));
}

}  // namespace

Verdict status_verdict(const StatusInput& in, Time now) {
  Verdict v;
  const auto& cert = in.certificate;
  const std::string who = "Certificate " + cert.metadata.namespace_ + "/" + cert.metadata.name;
  const auto* ready = find_condition(cert.status.conditions, "Ready");
  const auto not_after = cert.status.not_after;
  if (ready && ready->status == api::ConditionStatus::True) {
    if (not_after && *not_after <= now) {
      v.headline = who + " is Ready but its certificate expired " + relative_time(*not_after, now);
    } else {
      v.well = true;
      v.headline = who + " is Ready";
      if (not_after)
        v.headline += ", valid until " + format_time(*not_after);
      if (cert.status.renewal_time)
        v.headline += ", renewal " + relative_time(*cert.status.renewal_time, now);
    }
  } else if (ready) {
    v.headline = who + " is not Ready: " + reason_text(*ready);
  } else {
    v.headline = who + " is not Ready: it has no Ready condition yet (is a controller running?)";
  }
  // Why, deepest first. A Ready Certificate has causes only while it is
  // being re-issued: then they say how the renewal is going.
  const auto* issuing = find_condition(cert.status.conditions, "Issuing");
  if (v.well && !issuing)
    return v;
  challenge_causes(in, v.causes);
  request_causes(in, v.causes);
  if (issuing && issuing->status == api::ConditionStatus::False && issuing->reason != "Issued")
    v.causes.push_back("Issuing is False: " + reason_text(*issuing));
  if (!v.well && !in.secret)
    v.causes.push_back("Secret " + cert.spec.secret_name + " does not exist");
  return v;
}

}  // namespace certmill::ops
